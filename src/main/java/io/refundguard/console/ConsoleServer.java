package io.refundguard.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import io.javalin.security.BasicAuthCredentials;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The console's web application on Javalin (Jetty): the browser UI under {@code /} with a login
 * form, a session cookie and a CSRF token per session, and the JSON API under {@code /api} with the
 * same session or HTTP Basic. Every case lookup goes through the viewer's view, so a platform's
 * analyst asking for another platform's case gets the same 404 as for a case that does not exist.
 */
public final class ConsoleServer implements AutoCloseable {
    static final String LANG_COOKIE = "rg_lang";
    private static final String USER_ATTRIBUTE = "rg.viewer";

    private final CaseBook book;
    private final ConsoleUsers users;
    private final DecisionLog decisions;
    private final Quality quality;
    private final Sessions sessions;
    private final Pages pages;
    private final Clock clock;
    private io.refundguard.images.EnrichmentSettings photoRules = io.refundguard.images.EnrichmentSettings.defaults();
    private CasePhotos photos;
    private final java.util.List<AutoCloseable> resources = new java.util.ArrayList<>();
    private Javalin app;

    public ConsoleServer(CaseBook book, ConsoleUsers users, DecisionLog decisions, Quality quality, Clock clock) {
        this.book = book;
        this.users = users;
        this.decisions = decisions;
        this.quality = quality;
        this.sessions = new Sessions(clock);
        this.pages = new Pages();
        this.clock = clock;
    }

    /** The rules the console fetches case photos under ({@code enrichment.*}); the defaults otherwise. */
    public ConsoleServer photoRules(io.refundguard.images.EnrichmentSettings rules) {
        this.photoRules = rules;
        return this;
    }

    /** Starts listening; port 0 picks a free port, {@link #port()} tells which. */
    public ConsoleServer start(String host, int port) {
        photos = new CasePhotos(photoRules, clock);
        resources.add(photos);
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = host;
            config.jetty.port = port;
            config.routes.before("/api/*", this::authenticateApi);
            config.routes.get("/api/cases", this::apiCases);
            config.routes.get("/api/cases/{alertId}", this::apiCase);
            config.routes.post("/api/cases/{alertId}/disposition", this::apiDisposition);
            config.routes.get("/api/cases/{alertId}/photos/{kind}", ctx -> photo(ctx, ctx.attribute(USER_ATTRIBUTE), null));

            config.routes.before(this::language);
            config.routes.get("/login", ctx -> loginPage(ctx, 200, false, false));
            config.routes.post("/login", this::login);
            config.routes.post("/logout", this::logout);
            config.routes.get("/", ctx -> withSession(ctx, s -> inbox(ctx, s)));
            config.routes.get("/cases/{alertId}", ctx -> withSession(ctx, s -> casePage(ctx, s)));
            config.routes.post("/cases/{alertId}/decision", ctx -> withSession(ctx, s -> decideForm(ctx, s)));
            config.routes.get("/cases/{alertId}/photos/{kind}", ctx -> withSession(ctx, s -> photo(ctx, s.viewer(), s)));
            config.routes.get("/quality", ctx -> withSession(ctx, s -> qualityPage(ctx, s)));

            config.routes.exception(Exception.class, (e, ctx) -> {
                // A failure of ours: the reviewer sees a plain 500, the operator the stack trace.
                System.err.println("console: " + ctx.method() + " " + ctx.path() + " failed: " + e);
                e.printStackTrace();
                ctx.status(500).contentType("text/plain; charset=utf-8").result("internal error");
            });
            config.routes.exception(OutcomeSink.DeliveryException.class, (e, ctx) -> {
                // Live: refund-events did not take the outcome events; nothing was recorded, a retry is safe.
                System.err.println("console: " + ctx.method() + " " + ctx.path() + ": " + e.getMessage());
                if (ctx.path().startsWith("/api/")) {
                    ctx.status(503).contentType("application/json").result(CaseJson.error(e.getMessage()));
                } else {
                    ctx.status(503).contentType("text/plain; charset=utf-8").result(e.getMessage() + "; nothing was recorded, try again");
                }
            });
            config.routes.exception(IllegalArgumentException.class, (e, ctx) -> {
                if (ctx.path().startsWith("/api/")) {
                    ctx.status(400).contentType("application/json").result(CaseJson.error(e.getMessage()));
                } else {
                    ctx.status(400).contentType("text/plain; charset=utf-8").result(e.getMessage());
                }
            });
        }).start();
        return this;
    }

    public int port() {
        return app.port();
    }

    /** Closed after the server stops, last registered first (live mode's Kafka clients). */
    public ConsoleServer closing(AutoCloseable resource) {
        resources.add(0, resource);
        return this;
    }

    @Override
    public void close() {
        if (app != null) {
            app.stop();
        }
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("console: closing " + resource + " failed: " + e);
            }
        }
        resources.clear();
    }

    // ---- JSON API ----------------------------------------------------------------------------

    private void authenticateApi(Context ctx) {
        Optional<Viewer> viewer = Optional.empty();
        BasicAuthCredentials basic = basicCredentials(ctx);
        if (basic != null) {
            viewer = users.authenticate(basic.getUsername(), basic.getPassword());
        } else {
            Optional<Sessions.Session> session = sessions.find(ctx.cookie(Sessions.COOKIE));
            if (session.isPresent() && ctx.method().name().equals("POST")
                    && !session.get().csrfMatches(ctx.header("X-CSRF-Token"))) {
                ctx.status(403).contentType("application/json").result(CaseJson.error("missing or wrong X-CSRF-Token"));
                ctx.skipRemainingHandlers();
                return;
            }
            viewer = session.map(Sessions.Session::viewer);
        }
        if (viewer.isEmpty()) {
            ctx.header("WWW-Authenticate", "Basic realm=\"RefundGuard console\", charset=\"UTF-8\"");
            ctx.status(401).contentType("application/json").result(CaseJson.error("authentication required"));
            ctx.skipRemainingHandlers();
            return;
        }
        ctx.attribute(USER_ATTRIBUTE, viewer.get());
    }

    private static BasicAuthCredentials basicCredentials(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            return ctx.basicAuthCredentials();
        } catch (RuntimeException malformed) {
            return new BasicAuthCredentials("", "");
        }
    }

    private void apiCases(Context ctx) {
        Viewer viewer = ctx.attribute(USER_ATTRIBUTE);
        CaseFilter filter = CaseFilter.from(ctx::queryParam);
        Map<String, Decision> latest = decisions.latestByAlert();
        ArrayNode array = CaseJson.mapper().createArrayNode();
        for (CaseRow row : book.cases(viewer)) {
            if (filter.matches(row, latest.containsKey(row.alertId()))) {
                array.add(CaseJson.listItem(row, Optional.ofNullable(latest.get(row.alertId()))));
            }
        }
        json(ctx, 200, array.toString());
    }

    private void apiCase(Context ctx) {
        Viewer viewer = ctx.attribute(USER_ATTRIBUTE);
        Optional<CaseRow> row = book.find(viewer, ctx.pathParam("alertId"));
        if (row.isEmpty()) {
            json(ctx, 404, CaseJson.error("no such case"));
            return;
        }
        JsonNode alert = CaseJson.parse(row.get().line());
        var full = CaseJson.full(row.get(), alert, book.triggerVerdict(viewer, row.get()),
                decisions.history(row.get().alertId()), messages(ctx));
        full.set("timeline", TimelineViews.json(book.timeline(viewer, row.get(), decisions::history), messages(ctx)));
        json(ctx, 200, full.toString());
    }

    private void apiDisposition(Context ctx) throws IOException {
        Viewer viewer = ctx.attribute(USER_ATTRIBUTE);
        String type = ctx.contentType();
        // A cross-site form cannot send application/json without a CORS preflight we never grant,
        // so this stops CSRF through credentials a browser cached for HTTP Basic.
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            json(ctx, 415, CaseJson.error("expected Content-Type: application/json"));
            return;
        }
        Optional<CaseRow> row = book.find(viewer, ctx.pathParam("alertId"));
        if (row.isEmpty()) {
            json(ctx, 404, CaseJson.error("no such case"));
            return;
        }
        JsonNode body;
        try {
            body = CaseJson.mapper().readTree(ctx.body());
        } catch (IOException e) {
            throw new IllegalArgumentException("body: expected a JSON object {\"verdict\": …, \"note\": …}");
        }
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("body: expected a JSON object {\"verdict\": …, \"note\": …}");
        }
        Disposition verdict = Disposition.parse(body.path("verdict").asText(null));
        Decision decision = decisions.decide(viewer, row.get().alertId(), CaseJson.parse(row.get().line()), verdict,
                body.path("note").asText(""));
        json(ctx, 200, CaseJson.decision(decision).toString());
    }

    private static void json(Context ctx, int status, String body) {
        ctx.status(status).contentType("application/json").result(body);
    }

    // ---- Browser UI --------------------------------------------------------------------------

    private interface PageHandler {
        void handle(Sessions.Session session) throws Exception;
    }

    private void withSession(Context ctx, PageHandler handler) throws Exception {
        Optional<Sessions.Session> session = sessions.find(ctx.cookie(Sessions.COOKIE));
        if (session.isEmpty()) {
            ctx.redirect("/login");
            return;
        }
        handler.handle(session.get());
    }

    private void language(Context ctx) {
        String lang = ctx.queryParam("lang");
        if (Messages.ENGLISH.equals(lang) || Messages.CHINESE.equals(lang)) {
            ctx.cookie(new Cookie(LANG_COOKIE, lang, "/", 365 * 24 * 3600, false, true, null, SameSite.STRICT));
            ctx.attribute(LANG_COOKIE, lang);
        }
    }

    private static Messages messages(Context ctx) {
        String chosen = ctx.attribute(LANG_COOKIE);
        return Messages.of(chosen != null ? chosen : ctx.cookie(LANG_COOKIE));
    }

    /**
     * The login form with a fresh CSRF token, the same value in a cookie only {@code /login} gets
     * (double submit): another site can make a browser post the form, but can neither read the
     * cookie nor set it, so it cannot sign a reviewer in as someone else (login CSRF). SameSite=Strict
     * on the cookie already keeps it off a cross-site post; the token also covers browsers that
     * ignore SameSite.
     */
    private void loginPage(Context ctx, int status, boolean failed, boolean expired) {
        String token = sessions.loginToken();
        ctx.cookie(new Cookie(Sessions.LOGIN_COOKIE, token, "/login", (int) Sessions.LOGIN_FORM_LIFETIME.toSeconds(),
                false, true, null, SameSite.STRICT));
        ctx.status(status).html(pages.login(messages(ctx), failed, expired, token));
    }

    private void login(Context ctx) {
        if (!Sessions.sameToken(ctx.cookie(Sessions.LOGIN_COOKIE), ctx.formParam("csrf"))) {
            loginPage(ctx, 403, false, true);
            return;
        }
        Optional<Viewer> viewer = users.authenticate(ctx.formParam("user"), ctx.formParam("password"));
        if (viewer.isEmpty()) {
            loginPage(ctx, 401, true, false);
            return;
        }
        Sessions.Session session = sessions.open(viewer.get());
        ctx.removeCookie(Sessions.LOGIN_COOKIE, "/login");
        ctx.cookie(new Cookie(Sessions.COOKIE, session.token(), "/", -1, false, true, null, SameSite.STRICT));
        ctx.redirect("/");
    }

    private void logout(Context ctx) {
        Optional<Sessions.Session> session = sessions.find(ctx.cookie(Sessions.COOKIE));
        if (session.isPresent() && session.get().csrfMatches(ctx.formParam("csrf"))) {
            sessions.close(session.get().token());
        }
        ctx.removeCookie(Sessions.COOKIE, "/");
        ctx.redirect("/login");
    }

    private void inbox(Context ctx, Sessions.Session session) {
        Viewer viewer = session.viewer();
        CaseFilter filter = CaseFilter.from(ctx::queryParam);
        Map<String, Decision> latest = decisions.latestByAlert();
        CaseFilter.Page page = filter.apply(book.cases(viewer), latest::containsKey);
        ctx.html(pages.inbox(messages(ctx), session, filter, page, latest, book.platforms()));
    }

    private void casePage(Context ctx, Sessions.Session session) {
        Optional<CaseRow> row = book.find(session.viewer(), ctx.pathParam("alertId"));
        if (row.isEmpty()) {
            ctx.status(404).html(pages.notFound(messages(ctx), session));
            return;
        }
        JsonNode alert = CaseJson.parse(row.get().line());
        Map<String, Object> photoPanel = CasePhotos.shown(row.get().pattern(), alert.path("details"))
                .map(shown -> PhotoPanel.of(shown, photos.forPage(shown), messages(ctx), session.viewer().view())).orElse(null);
        ctx.html(pages.casePage(messages(ctx), session, row.get(), alert,
                book.triggerVerdict(session.viewer(), row.get()), decisions.history(row.get().alertId()),
                book.timeline(session.viewer(), row.get(), decisions::history), photoPanel));
    }

    /**
     * A case photo, fetched and re-encoded by the console (see {@link CasePhotos}), for a viewer who
     * may see the case; anyone else gets the case page's 404. A photo that cannot be had is a
     * placeholder (the case page says why).
     */
    private void photo(Context ctx, Viewer viewer, Sessions.Session session) {
        Optional<CaseRow> row = book.find(viewer, ctx.pathParam("alertId"));
        Optional<CasePhotos.Kind> kind = CasePhotos.Kind.of(ctx.pathParam("kind"));
        Optional<CasePhotos.Shown> shown = row.isEmpty() || kind.isEmpty() ? Optional.empty()
                : CasePhotos.shown(row.get().pattern(), CaseJson.parse(row.get().line()).path("details"));
        if (shown.isEmpty()) {
            if (session == null) {
                json(ctx, 404, CaseJson.error("no such case"));
            } else {
                ctx.status(404).html(pages.notFound(messages(ctx), session));
            }
            return;
        }
        CasePhotos.Rendered rendered = photos.photo(shown.get(), kind.get());
        ctx.status(200).contentType("image/png")
                .header("Cache-Control", CasePhotos.CACHE_CONTROL)
                .header("X-Content-Type-Options", "nosniff")
                .header("X-RefundGuard-Photo", rendered.status().name())
                .result(rendered.png());
    }

    private void decideForm(Context ctx, Sessions.Session session) throws IOException {
        if (!session.csrfMatches(ctx.formParam("csrf"))) {
            ctx.status(403).contentType("text/plain; charset=utf-8").result("missing or wrong CSRF token");
            return;
        }
        Optional<CaseRow> row = book.find(session.viewer(), ctx.pathParam("alertId"));
        if (row.isEmpty()) {
            ctx.status(404).html(pages.notFound(messages(ctx), session));
            return;
        }
        decisions.decide(session.viewer(), row.get().alertId(), CaseJson.parse(row.get().line()),
                Disposition.parse(ctx.formParam("verdict")), ctx.formParam("note"));
        ctx.redirect("/cases/" + java.net.URLEncoder.encode(row.get().alertId(), java.nio.charset.StandardCharsets.UTF_8));
    }

    private void qualityPage(Context ctx, Sessions.Session session) {
        Quality.Report report = quality.report(book.cases(session.viewer()), decisions.latestByAlert());
        ctx.html(pages.quality(messages(ctx), session, report));
    }
}
