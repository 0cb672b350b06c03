package dev.herald.notifier.it;

import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

/** The text and HTML parts of a received mail. */
record MailParts(String text, String html) {

    static MailParts of(MimeMessage mail) {
        try {
            String[] parts = new String[2];
            collect(mail, parts);
            return new MailParts(parts[0], parts[1]);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void collect(Part part, String[] parts) throws Exception {
        if (part.isMimeType("text/plain") && parts[0] == null) {
            parts[0] = part.getContent().toString().replace("\r\n", "\n");
        } else if (part.isMimeType("text/html") && parts[1] == null) {
            parts[1] = part.getContent().toString().replace("\r\n", "\n");
        } else if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                collect(multipart.getBodyPart(i), parts);
            }
        }
    }
}
