package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static io.steerguard.api.GatewayTestResource.ACME_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.steerguard.runtime.remote.FakeUpstream;
import io.vertx.core.json.JsonObject;

/**
 * Keeps {@code docs/openai-compatibility.md} true: every row of its two tables is sent to the
 * gateway, in front of the vLLM-strict fake upstream, and must behave as the row says. A row whose
 * behaviour changed, or a behaviour the table names wrongly, fails here.
 */
@QuarkusTest
class OpenAiCompatibilityTableTest {

    private static final Path TABLE = Path.of("docs/openai-compatibility.md");

    private static FakeUpstream upstream() {
        return GatewayTestResource.upstream();
    }

    @AfterEach
    void nothingLeftQueued() throws InterruptedException {
        GatewayTestResource.awaitUpstreamQuiet();
        upstream().clearQueue();
    }

    /** The cells of every table row under {@code heading}, header and separator rows left out. */
    private static List<List<String>> rows(String heading) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(TABLE)) {
            if (line.startsWith("## ")) {
                inSection = line.equals("## " + heading);
                continue;
            }
            if (!inSection || !line.startsWith("|") || line.startsWith("|---") || line.startsWith("| endpoint |")) {
                continue;
            }
            List<String> cells = new ArrayList<>();
            for (String cell : line.substring(1, line.length() - 1).split(" \\| ", -1)) {
                cells.add(cell.strip());
            }
            rows.add(cells);
        }
        assertThat(rows).as("rows under '## %s' in %s", heading, TABLE).isNotEmpty();
        return rows;
    }

    private static String code(String cell) {
        assertThat(cell).startsWith("`").endsWith("`");
        return cell.substring(1, cell.length() - 1);
    }

    @TestFactory
    Stream<DynamicTest> everyEndpointRow_behavesAsTheTableSays() throws IOException {
        return rows("Endpoints").stream().map(row -> DynamicTest.dynamicTest(row.get(0), () -> {
            String[] methodAndPath = code(row.get(0)).split(" ", 2);
            String path = methodAndPath[1];
            String body = switch (path) {
                case "/v1/chat/completions" -> "{\"model\":\"plain\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
                case "/v1/completions" -> "{\"model\":\"plain\",\"prompt\":\"Hi\"}";
                case "/v1/responses" -> "{\"model\":\"plain\",\"input\":\"Hi\"}";
                default -> "{}";
            };
            queueAnswer(path, new JsonObject(body));
            Response r = methodAndPath[0].equals("GET")
                    ? given().header("Authorization", "Bearer " + ACME_KEY).get(path)
                    : given().header("Authorization", "Bearer " + ACME_KEY).contentType("application/json").body(body)
                            .post(path);
            if (row.get(1).equals("served")) {
                assertThat(r.statusCode()).as(row.get(0)).isEqualTo(200);
            } else {
                assertThat(r.statusCode()).as(row.get(0)).isEqualTo(404);
                assertThat(r.jsonPath().getString("error.code")).isEqualTo("not_found");
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyRequestFieldRow_behavesAsTheTableSays() throws IOException {
        return rows("Request fields").stream().map(row -> DynamicTest.dynamicTest(row.get(0) + " " + row.get(1), () -> {
            String endpoint = row.get(0);
            JsonObject adds = new JsonObject(code(row.get(1)));
            String field = adds.fieldNames().iterator().next();
            String behaviour = row.get(2);
            JsonObject body = switch (endpoint) {
                case "chat" -> new JsonObject().put("model", "plain")
                        .put("messages", new io.vertx.core.json.JsonArray().add(new JsonObject().put("role", "user")
                                .put("content", "Hi")));
                case "completions" -> new JsonObject().put("model", "plain").put("prompt", "Hi");
                case "responses" -> new JsonObject().put("model", "plain").put("input", "Hi");
                default -> throw new AssertionError("unknown endpoint column " + endpoint);
            };
            body.mergeIn(adds);
            String path = switch (endpoint) {
                case "chat" -> "/v1/chat/completions";
                case "completions" -> "/v1/completions";
                default -> "/v1/responses";
            };
            int before = upstream().exchanges().size();
            if (!behaviour.equals("rejected")) {
                queueAnswer(path, body);
            }
            Response r = given().header("Authorization", "Bearer " + ACME_KEY).contentType("application/json")
                    .body(body.encode()).post(path);
            switch (behaviour) {
                case "rejected" -> {
                    assertThat(r.statusCode()).as(r.asString()).isEqualTo(400);
                    assertThat(r.jsonPath().getString("error.type")).isEqualTo("invalid_request_error");
                    assertThat(r.jsonPath().getString("error.param")).as(r.asString()).startsWith(field);
                    assertThat(upstream().exchanges()).as("a rejected request reaches no runtime").hasSize(before);
                }
                case "passed through", "supported", "ignored" -> {
                    assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
                    JsonObject sent = upstream().awaitExchange(before, Duration.ofSeconds(5)).bodyJson();
                    if (behaviour.equals("passed through")) {
                        assertThat(sent.getValue(field)).as("'%s' upstream", field).isEqualTo(adds.getValue(field));
                    }
                    if (behaviour.equals("ignored")) {
                        assertThat(sent.containsKey(field)).as("'%s' upstream", field).isFalse();
                    }
                }
                default -> throw new AssertionError("unknown behaviour '" + behaviour + "' in " + TABLE);
            }
        }));
    }

    /** What a vLLM-like upstream answers the request the gateway will send for {@code body}. */
    private static void queueAnswer(String path, JsonObject body) {
        int n = body.getInteger("n", 1);
        if (n > 1) {
            upstream().enqueue(twoChoiceStream());
        } else if (path.equals("/v1/completions")) {
            boolean streamed = body.getBoolean("stream", false) || body.getValue("logprobs") != null;
            upstream().enqueue(streamed
                    ? FakeUpstream.Reply.stream().event(FakeUpstream.Chunks.textDelta("ok"))
                            .event(FakeUpstream.Chunks.textFinish("stop")).event(FakeUpstream.Chunks.usage(3, 1)).done()
                    : FakeUpstream.Reply.completionJson("ok", "stop", 3, 1));
        } else if (!path.startsWith("/v1/models")) {
            upstream().enqueue(FakeUpstream.Reply.chatAnswer("ok"));
        }
    }

    private static FakeUpstream.Reply twoChoiceStream() {
        String chunk = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[%s]}";
        String text = "{\"index\":%d,\"delta\":{\"role\":\"assistant\",\"content\":\"%s\"},\"finish_reason\":null}";
        String stop = "{\"index\":%d,\"delta\":{},\"finish_reason\":\"stop\"}";
        return FakeUpstream.Reply.stream()
                .event(chunk.formatted(text.formatted(0, "a") + "," + text.formatted(1, "b")))
                .event(chunk.formatted(stop.formatted(0) + "," + stop.formatted(1)))
                .event(FakeUpstream.Chunks.usage(7, 2)).done();
    }
}
