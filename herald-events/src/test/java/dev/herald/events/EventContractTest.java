package dev.herald.events;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class EventContractTest {

    private static ValidatorFactory validatorFactory;
    private static Validator validator;
    private final WebhookParser parser = new WebhookParser();

    @BeforeAll
    static void createValidator() {
        validatorFactory = Validation.buildDefaultValidatorFactory();
        validator = validatorFactory.getValidator();
    }

    @AfterAll
    static void closeValidator() {
        validatorFactory.close();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void documentedExampleParsesToItsRecordAndValidatesClean(EventType type) {
        ParseOutcome outcome = parser.parse(DocumentedExamples.of(type));

        assertThat(outcome).isInstanceOf(ParseOutcome.Parsed.class);
        UniskaiEvent event = ((ParseOutcome.Parsed) outcome).event();
        assertThat(event).isInstanceOf(type.recordClass());
        assertThat(event.type()).isEqualTo(type.typeName());
        assertThat(validator.validate(event)).isEmpty();
    }

    @Test
    void trialExpiryIsKeptAsDisplayTextEvenWhenNoSuchDateExists() {
        TrialPeriodEnding event = (TrialPeriodEnding) parsed(DocumentedExamples.of(EventType.TRIAL_PERIOD_ENDING));

        assertThat(event.accounts().get(0).trialExpiredOn()).isEqualTo("Feb 31, 2023");
        assertThat(event.accounts().get(0).trialDays()).isEqualTo("10 days");
    }

    @Test
    void accountIdsKeepLeadingZerosAndEnvironmentIdIsANumber() {
        TeamMemberPermissionRequest event = (TeamMemberPermissionRequest) parsed(json("""
                {"type":"team-member-permission-request","provider":"AWS","account_id":"000123","account_name":"Dev",
                 "environment_id":42,"requester_name":"J","permissions":[{"service":"Spot","mode":"Read"}]}"""));

        assertThat(event.accountIds()).containsExactly("000123");
        assertThat(event.environmentId()).isEqualTo(42L);
    }

    @Test
    void unknownFieldsAreIgnoredNotRejected() {
        UniskaiEvent event = parsed(json("""
                {"type":"spot-recreated","added_later":{"x":1},"resources":[{"name":"i-1","type":"t","region":"r","vpc":null,"zone":"a"}]}"""));

        assertThat(event).isEqualTo(new SpotRecreated(List.of(new SpotResource("i-1", "t", "r", null))));
        assertThat(validator.validate(event)).isEmpty();
    }

    @Test
    void undocumentedTypeIsCarriedAsAValue() {
        UniskaiEvent event = parsed(json("{\"type\":\"budget-exceeded\",\"account_id\":\"42\",\"amount\":10}"));

        assertThat(event).isInstanceOf(UndocumentedEvent.class);
        assertThat(event.type()).isEqualTo("budget-exceeded");
        assertThat(event.accountIds()).containsExactly("42");
    }

    @Test
    void startStopMayCarryStartedInsteadOfStopped() {
        CloudsitterStartStop event = (CloudsitterStartStop) parsed(json("""
                {"type":"cloudsitter-start-stop","policy_name":"office-hours","started":[
                 {"account_id":"1","type":"ec2","rn":"arn:1","name":"a","region":"eu-west-1"},
                 {"account_id":"1","type":"ec2","rn":"arn:2","name":"b","region":"eu-west-1"}]}"""));

        assertThat(event.startedResources()).hasSize(2);
        assertThat(event.stoppedResources()).isEmpty();
        assertThat(event.accountIds()).containsExactly("1");
        assertThat(validator.validate(event)).isEmpty();
    }

    static Stream<Arguments> invalidVariants() {
        return Stream.of(
                // team-member-permission-request
                invalid("{\"type\":\"team-member-permission-request\",\"provider\":\"AWS\",\"account_name\":\"D\",\"environment_id\":1,\"requester_name\":\"J\",\"permissions\":[{\"service\":\"Spot\",\"mode\":\"Read\"}]}", "$.account_id"),
                invalid("{\"type\":\"team-member-permission-request\",\"provider\":\"AWS\",\"account_id\":\"1\",\"account_name\":\"D\",\"environment_id\":1,\"requester_name\":\"J\",\"permissions\":[{\"service\":\"Spot\",\"mode\":\"Admin\"}]}", "$.permissions[0].mode"),
                invalid("{\"type\":\"team-member-permission-request\",\"provider\":\"AWS\",\"account_id\":\"1\",\"account_name\":\"D\",\"environment_id\":\"42\",\"requester_name\":\"J\",\"permissions\":[{\"service\":\"Spot\",\"mode\":\"Read\"}]}", "$.environment_id"),
                invalid("{\"type\":\"team-member-permission-request\",\"provider\":\"AWS\",\"account_id\":1,\"account_name\":\"D\",\"environment_id\":1,\"requester_name\":\"J\",\"permissions\":[{\"service\":\"Spot\",\"mode\":\"Read\"}]}", "$.account_id"),
                invalid("{\"type\":\"team-member-permission-request\",\"provider\":\"AWS\",\"account_id\":\"1\",\"account_name\":\"D\",\"environment_id\":1,\"requester_name\":\"J\",\"permissions\":[]}", "$.permissions"),
                // spot-recreated
                invalid("{\"type\":\"spot-recreated\"}", "$.resources"),
                invalid("{\"type\":\"spot-recreated\",\"resources\":[{\"name\":\"i-1\",\"type\":\"t\",\"vpc\":null}]}", "$.resources[0].region"),
                invalid("{\"type\":\"spot-recreated\",\"resources\":[null]}", "$.resources[0]"),
                invalid("{\"type\":\"spot-recreated\",\"resources\":{\"name\":\"i-1\"}}", "$.resources"),
                // spot-rollback
                invalid("{\"type\":\"spot-rollback\",\"resources\":[]}", "$.resources"),
                invalid("{\"type\":\"spot-rollback\",\"resources\":[{\"type\":\"t\",\"region\":\"r\",\"vpc\":\"v\"}]}", "$.resources[0].name"),
                invalid("{\"type\":\"spot-rollback\",\"resources\":[{\"name\":\"i\",\"type\":\"t\",\"region\":\"r\",\"vpc\":5}]}", "$.resources[0].vpc"),
                // managed-on-demand-back-to-spot
                invalid("{\"type\":\"managed-on-demand-back-to-spot\"}", "$.resources"),
                invalid("{\"type\":\"managed-on-demand-back-to-spot\",\"resources\":[{\"name\":\"i\",\"region\":\"r\",\"vpc\":null}]}", "$.resources[0].type"),
                invalid("{\"type\":\"managed-on-demand-back-to-spot\",\"resources\":[{\"name\":\"\",\"type\":\"t\",\"region\":\"r\",\"vpc\":null}]}", "$.resources[0].name"),
                // cloudsitter-start-stop
                invalid("{\"type\":\"cloudsitter-start-stop\",\"policy_name\":\"p\"}", "$.stopped"),
                invalid("{\"type\":\"cloudsitter-start-stop\",\"stopped\":[{\"account_id\":\"1\",\"type\":\"t\",\"rn\":\"a\",\"name\":\"n\",\"region\":\"r\"}]}", "$.policy_name"),
                invalid("{\"type\":\"cloudsitter-start-stop\",\"policy_name\":\"p\",\"started\":[{\"account_id\":\"1\",\"type\":\"t\",\"name\":\"n\",\"region\":\"r\"}]}", "$.started[0].rn"),
                invalid("{\"type\":\"cloudsitter-start-stop\",\"policy_name\":\"p\",\"stopped\":[],\"started\":[]}", "$.stopped"),
                // cloudsitter-policy-failed
                invalid("{\"type\":\"cloudsitter-policy-failed\",\"resources\":[{\"name\":\"n\",\"type\":\"t\",\"region\":\"r\",\"error\":\"e\"}],\"failed_action\":\"maybe\"}", "$.failed_action"),
                invalid("{\"type\":\"cloudsitter-policy-failed\",\"resources\":[{\"name\":\"n\",\"type\":\"t\",\"region\":\"r\",\"error\":\"e\"}]}", "$.failed_action"),
                invalid("{\"type\":\"cloudsitter-policy-failed\",\"resources\":[{\"name\":\"n\",\"type\":\"t\",\"region\":\"r\"}],\"failed_action\":\"on\"}", "$.resources[0].error"),
                // trial-period-ending
                invalid("{\"type\":\"trial-period-ending\",\"accounts\":[{\"account_name\":\"D\",\"account_id\":\"1\",\"trial_days\":\"10 days\"}]}", "$.accounts[0].trial_expired_on"),
                invalid("{\"type\":\"trial-period-ending\",\"accounts\":[]}", "$.accounts"),
                invalid("{\"type\":\"trial-period-ending\",\"accounts\":[{\"account_name\":\"D\",\"account_id\":\"1\",\"trial_days\":10,\"trial_expired_on\":\"Feb 31, 2023\"}]}", "$.accounts[0].trial_days"),
                // trial-period-ended
                invalid("{\"type\":\"trial-period-ended\"}", "$.accounts"),
                invalid("{\"type\":\"trial-period-ended\",\"accounts\":[{\"account_name\":\"D\"}]}", "$.accounts[0].account_id"),
                invalid("{\"type\":\"trial-period-ended\",\"accounts\":[{\"account_name\":\" \",\"account_id\":\"1\"}]}", "$.accounts[0].account_name"));
    }

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("invalidVariants")
    void invalidVariantIsRejectedAtItsJsonPath(String body, String expectedPath) {
        assertThat(violations(json(body))).extracting(Violation::path).contains(expectedPath);
    }

    @Test
    void everyViolationIsReportedNotOnlyTheFirst() {
        List<Violation> violations = violations(json("""
                {"type":"team-member-permission-request","provider":"","account_id":"1","account_name":"D",
                 "requester_name":"J","permissions":[{"service":"Spot","mode":"root"},{"mode":"Read"}]}"""));

        assertThat(violations).extracting(Violation::path).containsExactly(
                "$.environment_id", "$.permissions[0].mode", "$.permissions[1].service", "$.provider");
        assertThat(violations).filteredOn(v -> v.path().equals("$.permissions[0].mode"))
                .extracting(Violation::message).containsExactly("must be one of \"Was withdrawn\", \"Read\", \"Read/write\"");
    }

    @ParameterizedTest
    @MethodSource("malformedBodies")
    void bodiesWithoutARoutableTypeAreMalformed(String body) {
        assertThat(parser.parse(json(body))).isInstanceOf(ParseOutcome.Malformed.class);
    }

    static Stream<String> malformedBodies() {
        return Stream.of("", "not json", "[]", "\"spot-recreated\"", "{}", "{\"type\":7}", "{\"type\":\"\"}",
                "{\"type\":\"spot-recreated\"", "{\"type\":\"a\",\"type\":\"b\"}", "[".repeat(100_000),
                // Any type is accepted (undocumented ones go to the unknown topic), but not one no log or header can hold.
                "{\"type\":\"spot-recreated\\nBcc: x\"}", "{\"type\":\"a\\u2028b\"}", "{\"type\":\"" + "t".repeat(201) + "\"}");
    }

    @Test
    void aTypeOfAnyNameWithinReasonIsAccepted() {
        assertThat(parser.parse(json("{\"type\":\"" + "t".repeat(200) + "\"}"))).isInstanceOf(ParseOutcome.Parsed.class);
        assertThat(parser.parse(json("{\"type\":\"budget-alert ✓\"}"))).isInstanceOf(ParseOutcome.Parsed.class);
    }

    @Test
    void aListLongerThanAnySenderNeedsIsOneViolationNotOnePerItem() {
        String body = "{\"type\":\"cloudsitter-start-stop\",\"policy_name\":\"p\",\"stopped\":["
                + String.join(",", java.util.Collections.nCopies(10_001, "{}")) + "]}";

        ParseOutcome outcome = parser.parse(json(body));

        assertThat(outcome).isInstanceOf(ParseOutcome.Mismatched.class);
        assertThat(((ParseOutcome.Mismatched) outcome).violations()).singleElement()
                .isEqualTo(new Violation("$.stopped", "has more than 10000 items"));
    }

    @Test
    void aLongListInAnUnknownFieldIsKeptLikeAnyUnknownField() {
        String body = "{\"type\":\"cloudsitter-start-stop\",\"policy_name\":\"p\",\"stopped\":[],\"resource_ids\":["
                + String.join(",", java.util.Collections.nCopies(10_001, "\"i-1\"")) + "]}";

        assertThat(parser.parse(json(body))).isInstanceOf(ParseOutcome.Parsed.class);
    }

    @Test
    void invalidUtf8IsMalformed() {
        byte[] body = {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

        assertThat(parser.parse(body)).isInstanceOf(ParseOutcome.Malformed.class);
    }

    @Test
    void topicsFollowThePrefixAndSendUndocumentedTypesToUnknown() {
        Topics topics = new Topics("acme");

        assertThat(topics.forType("spot-recreated")).isEqualTo("acme.events.spot-recreated");
        assertThat(topics.forType("budget-exceeded")).isEqualTo("acme.events.unknown");
        assertThat(topics.raw()).isEqualTo("acme.webhooks.raw");
        assertThat(topics.routerDeadLetter()).isEqualTo("acme.webhooks.dlq");
        assertThat(topics.routerRekeyed()).isEqualTo("acme.router.rekeyed");
        assertThat(topics.eventTopics()).hasSize(EventType.values().length + 1).doesNotHaveDuplicates();
        assertThat(topics.all()).doesNotHaveDuplicates().allMatch(t -> t.startsWith("acme."));
    }

    private List<Violation> violations(byte[] body) {
        ParseOutcome outcome = parser.parse(body);
        if (outcome instanceof ParseOutcome.Mismatched mismatched) {
            return mismatched.violations();
        }
        assertThat(outcome).isInstanceOf(ParseOutcome.Parsed.class);
        return Violation.of(validator.validate(((ParseOutcome.Parsed) outcome).event()));
    }

    private UniskaiEvent parsed(byte[] body) {
        ParseOutcome outcome = parser.parse(body);
        assertThat(outcome).isInstanceOf(ParseOutcome.Parsed.class);
        return ((ParseOutcome.Parsed) outcome).event();
    }

    private static Arguments invalid(String body, String path) {
        return Arguments.of(body, path);
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
