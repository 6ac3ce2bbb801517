/**
 * A confining file system for volumes: every path a module names stays inside its directory,
 * and read-only volumes refuse writes.
 */
package dev.wagiservlet.engine.fs;
