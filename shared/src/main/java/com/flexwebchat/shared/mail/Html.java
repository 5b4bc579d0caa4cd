package com.flexwebchat.shared.mail;

/** Text written into HTML: what an email's HTML part and the local mail pages put there from outside. */
public final class Html {

    private Html() {
    }

    /** Text and attribute values: {@code & < > " '} as entities, so nothing in them can start or end markup. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
