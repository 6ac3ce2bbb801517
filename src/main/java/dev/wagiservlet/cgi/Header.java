package dev.wagiservlet.cgi;

/** One HTTP header line: a request header in, or a response header from a module's output. */
public record Header(String name, String value) {}
