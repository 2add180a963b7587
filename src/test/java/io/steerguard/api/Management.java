package io.steerguard.api;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** The test gateway's management interface (metrics, health): a port of its own, never the client port. */
public final class Management {

    private Management() {
    }

    /** The port Quarkus bound the management interface to (random in tests). */
    public static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }

    /** A REST Assured request to the management interface. */
    public static RequestSpecification given() {
        return RestAssured.given().port(port());
    }
}
