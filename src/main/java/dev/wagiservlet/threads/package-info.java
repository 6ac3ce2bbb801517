/**
 * Threads the webapp owns and must see end before it is undeployed.
 */
package dev.wagiservlet.threads;
