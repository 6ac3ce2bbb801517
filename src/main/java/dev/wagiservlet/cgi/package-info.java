/**
 * The CGI 1.1 translation, as WAGI defines it: the request's environment variables and argv,
 * and the parser of a module's stdout (header block, blank line, body). Knows no servlets and no
 * engine.
 */
package dev.wagiservlet.cgi;
