package org.coopcloud.recipeci;

import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@link DeployedApp} that answers from fields, for tests of the public API without a swarm. */
class StubApp implements DeployedApp {
    List<ServiceState> services = List.of();
    Optional<String> versionLabel = Optional.empty();
    int port;

    @Override
    public RecipeName recipe() {
        return new RecipeName("notes");
    }

    @Override
    public AppDomain domain() {
        return new AppDomain("note-0a1b2c.ci.example.org");
    }

    @Override
    public StackName stackName() {
        return domain().stackName();
    }

    @Override
    public String version() {
        return "1.0.0+1.0";
    }

    @Override
    public String codeUnderTest() {
        return "main@0a1b2c3d";
    }

    @Override
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public URI baseUrl(String router) {
        return baseUrl();
    }

    @Override
    public RequestSpecification http() {
        throw new UnsupportedOperationException();
    }

    @Override
    public RequestSpecification http(String router) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<ServiceState> services() {
        return services;
    }

    @Override
    public Optional<String> deployedVersion() {
        return versionLabel;
    }

    @Override
    public String taskTable() {
        return "  note_0a1b2c_app.1  running";
    }

    @Override
    public RecipeProfile profile() {
        return RecipeProfile.defaults(recipe());
    }

    @Override
    public ExecResult exec(String service, String... argv) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, String> env() {
        return Map.of();
    }

    @Override
    public String logs(String service) {
        return "";
    }

    @Override
    public DeployedApp dependency(String recipe) {
        throw new IllegalArgumentException(recipe);
    }

    @Override
    public List<String> volumes() {
        return List.of();
    }
}
