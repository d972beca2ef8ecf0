package cn.antifraud.gateway.smpp.template;

/** A template that may not be sent; the message names the template and what is wrong with it. */
public final class TemplateException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public TemplateException(String template, String problem) {
        super("template '" + template + "': " + problem);
    }
}
