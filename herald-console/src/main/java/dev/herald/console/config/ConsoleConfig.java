package dev.herald.console.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The console's configuration; each key is also an environment variable (herald.console.tokens → HERALD_CONSOLE_TOKENS). */
@ConfigMapping(prefix = "herald")
public interface ConsoleConfig {

    /** Prefix of every Herald topic. */
    @WithDefault("uniskai")
    String topicPrefix();

    Console console();

    Lag lag();

    interface Console {

        /** Tokens that open the console (several, so one can be rotated); required outside dev and test. */
        Optional<List<String>> tokens();

        /**
         * Tokens that open {@code /q/metrics} and nothing else (Prometheus'), so a scraper's token cannot read people's
         * data or replay.
         */
        Optional<List<String>> metricsTokens();

        /** How long a browser stays signed in. */
        @WithDefault("8h")
        Duration sessionLength();

        /** Whether the session cookie is sent over HTTPS only: true wherever the console is behind TLS. */
        @WithDefault("true")
        boolean secureCookie();

        /** Characters of a body kept in memory and shown; the rest is cut, saying so. */
        @WithDefault("65536")
        @Positive
        int maxBodyChars();

        /**
         * Where the journeys are indexed on disk (emptied at each start, and when the console stops): a volume of
         * the pod's own, as large as the journeys the topics' retention holds.
         */
        @WithDefault("${java.io.tmpdir}/herald-console-index")
        java.nio.file.Path indexDir();

        /**
         * The journeys' bytes the index keeps at most, before compression (on disk they take about a quarter
         * of this with small bodies): beyond it, the journeys that moved least recently are let go before their
         * retention ends, those with a dead letter last. Keep it under the index volume's size.
         */
        @WithDefault("1G")
        io.quarkus.runtime.configuration.MemorySize indexBudget();

        /**
         * With single sign-on (OpenID Connect, {@code QUARKUS_OIDC_TENANT_ENABLED=true}): the role a person's token
         * must carry to use the console (roles are read from the claim {@code quarkus.oidc.roles.role-claim-path}).
         * {@code *} lets in everyone the identity provider signs in for this client.
         */
        @WithDefault("herald-operator")
        String oidcRole();

        /**
         * The router's {@code herald.router.body-dedup-window}: an event sent without an id within this time of a
         * routed one with the same body is shown as the copy the router dropped. Keep the two equal.
         */
        @WithDefault("10m")
        Duration routerBodyWindow();

        /** Consumer group of the router, whose lag is shown. */
        @WithDefault("herald-router")
        String routerGroup();

        /** Prefix of the notifier's consumer groups (herald-notifier-<type>, herald-notifier-deliveries). */
        @WithDefault("herald-notifier")
        String notifierGroupPrefix();
    }

    interface Lag {

        /** How often the lag is measured. */
        @WithDefault("15s")
        Duration interval();
    }
}
