package dev.herald.events;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A {@link CloudsitterStartStop} names at least one non-empty list, {@code stopped} or {@code started}.
 * A class-level constraint, so the violation can be reported at {@code $.stopped} instead of at a made-up property.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = StoppedOrStarted.Validator.class)
public @interface StoppedOrStarted {

    String message() default "must have a non-empty \"stopped\" or \"started\" list";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<StoppedOrStarted, CloudsitterStartStop> {
        @Override
        public boolean isValid(CloudsitterStartStop event, ConstraintValidatorContext context) {
            if (event == null || !event.stoppedResources().isEmpty() || !event.startedResources().isEmpty()) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(context.getDefaultConstraintMessageTemplate())
                    .addPropertyNode("stopped")
                    .addConstraintViolation();
            return false;
        }
    }
}
