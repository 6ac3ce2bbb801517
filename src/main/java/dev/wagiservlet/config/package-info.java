/**
 * Configuration: every source (web.xml init-params, MicroProfile Config, a wagi modules.toml) is
 * read into one model ({@link dev.wagiservlet.config.WagiSettings}, {@link dev.wagiservlet.config.RouteConfig},
 * {@link dev.wagiservlet.config.Limits}) with the same keys and checks, and every error names the
 * key and where it was set. Depends on nothing but {@code routing}.
 */
package dev.wagiservlet.config;
