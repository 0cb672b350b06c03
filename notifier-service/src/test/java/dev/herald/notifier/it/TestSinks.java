package dev.herald.notifier.it;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;

/**
 * The peers of the notifier in tests: a real SMTP server (GreenMail) and an HTTP server that answers like Slack's
 * incoming webhooks (WireMock). The SMTP server can be stopped and started again on the same port.
 */
public final class TestSinks {

    public final WireMockServer slack;
    private final int smtpPort;
    private GreenMail smtp;

    TestSinks() {
        slack = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        slack.start();
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        smtpPort = smtp.getSmtp().getPort();
    }

    public String slackUrl(String path) {
        return "http://127.0.0.1:" + slack.port() + path;
    }

    public int smtpPort() {
        return smtpPort;
    }

    public synchronized void stopSmtp() {
        smtp.stop();
    }

    public synchronized void startSmtp() {
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    /** Mails received since the SMTP server last started. */
    public synchronized List<MimeMessage> mails() {
        return Arrays.asList(smtp.getReceivedMessages());
    }

    /** Mails whose X-Herald-Event-Id is {@code eventId}. */
    public List<MimeMessage> mailsOf(String eventId) {
        return mails().stream().filter(mail -> eventId.equals(header(mail, "X-Herald-Event-Id"))).toList();
    }

    /** Requests to a Slack webhook path that carry this event id. */
    public List<LoggedRequest> slackRequests(String path, String eventId) {
        return slack.getAllServeEvents().stream()
                .map(event -> event.getRequest())
                .filter(request -> request.getUrl().equals(path) && request.getBodyAsString().contains("event " + eventId + " "))
                .map(request -> (LoggedRequest) request)
                .toList();
    }

    static String header(MimeMessage mail, String name) {
        try {
            String[] values = mail.getHeader(name);
            return values == null ? null : values[0];
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    void stop() {
        slack.stop();
        smtp.stop();
    }
}
