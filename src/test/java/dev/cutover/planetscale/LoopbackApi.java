package dev.cutover.planetscale;

import java.time.Clock;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockWebServer;

/** Builds the real client against a loopback {@link MockWebServer}, with credentials tests can look for. */
final class LoopbackApi {
    static final String ORG = "acme";
    static final String TOKEN_ID = "k9zd4q7w1x2c";
    static final String TOKEN = "pscale_tkn_Zq4xR7mW2pL9sT6vB1nC8kJ3";
    static final String AUTHORIZATION = TOKEN_ID + ":" + TOKEN;
    static final String VERSION = "1.4.2";

    /** One shared client, as in production; the API derives its own variant from it. */
    private static final OkHttpClient SHARED = new OkHttpClient();

    private LoopbackApi() {}

    static HttpPlanetScaleApi create(MockWebServer server, Sleeper sleeper) {
        return create(server, sleeper, Clock.systemUTC());
    }

    static HttpPlanetScaleApi create(MockWebServer server, Sleeper sleeper, Clock clock) {
        return new HttpPlanetScaleApi(SHARED, server.url("/v1").toString(), ORG, TOKEN_ID, TOKEN, VERSION, sleeper,
                clock);
    }
}
