/**
 * Compiled modules, cached by file and version (Caffeine), compiled once even when many requests
 * ask at once, compiled again when the file changes.
 */
package dev.wagiservlet.cache;
