namespace RegistryCloud.Deploy.Tests;

/// <summary>
/// Renders every overlay with <c>kubectl kustomize</c> and validates the output offline against the
/// Kubernetes OpenAPI schemas with <c>deploy/validate</c>; and proves the validator rejects what a
/// cluster would reject, naming the object and the field.
/// </summary>
public sealed class SchemaValidationTests
{
    public static readonly TheoryData<string> Overlays = new() { "dev", "production", "production-filesystem" };

    public static TheoryData<string, string, string, string, string> Kinds => SchemaValidationKinds.Cases;

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Rendered_overlay_is_valid_against_the_Kubernetes_schemas(string overlay)
    {
        var run = SchemaValidationRunner.Validate(SchemaValidationRunner.Render(overlay));

        Assert.True(run.ExitCode == 0, $"overlay {overlay} does not validate:\n{run}");
        Assert.Equal(Rendered.Overlay(overlay).Count, run.ValidObjects);
    }

    [Fact]
    public void Secret_templates_are_valid_against_the_Kubernetes_schemas()
    {
        var run = SchemaValidationRunner.Validate(null, "deploy/kubernetes/secrets/secrets.example.yaml");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(5, run.ValidObjects);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_kind_the_manifests_use_is_checked_against_its_schema(string kind, string valid, string find, string replace, string expected)
    {
        var passes = SchemaValidationRunner.Validate(valid);
        Assert.True(passes.ExitCode == 0, $"the valid {kind} was rejected:\n{passes}");
        Assert.Equal(1, passes.ValidObjects);

        Assert.Contains(find, valid, StringComparison.Ordinal);
        var fails = SchemaValidationRunner.Validate(valid.Replace(find, replace, StringComparison.Ordinal));
        Assert.True(fails.ExitCode == 1, $"the broken {kind} was accepted:\n{fails}");
        Assert.Contains(expected, fails.Errors, StringComparison.Ordinal);
        Assert.Equal(-1, fails.ValidObjects);
    }

    [Fact]
    public void A_broken_deployment_fails_with_every_field_named()
    {
        var run = SchemaValidationRunner.Validate("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: blobservice}
            spec:
              replicas: "two"
              selector: {matchLabels: {app: blobservice}}
              template:
                metadata: {labels: {app: blobservice}}
                spec:
                  containers:
                    - image: registrycloud/blobservice:latest
                      imagePullPolicy: Sometimes
                      ports: [{containerPort: http}]
                      resources: {limits: {cpu: lots}}
            """);

        Assert.Equal(1, run.ExitCode);
        string[] expected =
        [
            "Deployment/blobservice: spec.replicas: must be an integer (got \"two\")",
            "Deployment/blobservice: spec.template.spec.containers[0].name: is required",
            "Deployment/blobservice: spec.template.spec.containers[0].imagePullPolicy: must be one of \"Always\", \"IfNotPresent\", \"Never\" (got \"Sometimes\")",
            "Deployment/blobservice: spec.template.spec.containers[0].ports[0].containerPort: must be an integer (got \"http\")",
            "Deployment/blobservice: spec.template.spec.containers[0].resources.limits.cpu: must be a number or a string in quantity format (got \"lots\")",
        ];
        Assert.All(expected, line => Assert.Contains(line, run.Errors, StringComparison.Ordinal));
        Assert.Contains("5 error(s) in 1 object(s)", run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void One_invalid_object_fails_a_whole_render_and_only_it_is_named()
    {
        var render = SchemaValidationRunner.Render("production") + """
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: stray, namespace: registrycloud}
            spec:
              type: Balanced
              ports: [{port: 80}]
            """;

        var run = SchemaValidationRunner.Validate(render);

        Assert.Equal(1, run.ExitCode);
        var errors = run.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, errors.Length);
        Assert.StartsWith("<stdin>: Service/stray: spec.type: must be one of", errors[0], StringComparison.Ordinal);
        Assert.Equal($"1 error(s) in {Rendered.Overlay("production").Count + 1} object(s), validated against Kubernetes 1.33.0 schemas (kubernetes-models 4.5.1)", errors[1]);
    }

    [Theory]
    [InlineData("policy/v1beta1", "PodDisruptionBudget", "policy/v1beta1 is not served by Kubernetes 1.33.0: use policy/v1")]
    [InlineData("extensions/v1beta1", "Ingress", "extensions/v1beta1 is not served by Kubernetes 1.33.0: use")]
    [InlineData("autoscaling/v2beta2", "HorizontalPodAutoscaler", "autoscaling/v2beta2 is not served by Kubernetes 1.33.0: use autoscaling/v2")]
    [InlineData("example.com/v1", "Widget", "no schema for example.com/v1 Widget in Kubernetes 1.33.0")]
    [InlineData("v1", "Container", "no schema for v1 Container in Kubernetes 1.33.0")]
    [InlineData("apps/v1", "Deploymnet", "no schema for apps/v1 Deploymnet in Kubernetes 1.33.0")]
    public void A_kind_without_a_schema_fails_instead_of_passing_unchecked(string apiVersion, string kind, string expected)
    {
        var run = SchemaValidationRunner.Validate($"apiVersion: {apiVersion}\nkind: {kind}\nmetadata: {{name: x}}\n");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{kind}/x: apiVersion/kind: {expected}", run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void An_object_without_a_name_fails()
    {
        var run = SchemaValidationRunner.Validate("apiVersion: v1\nkind: ConfigMap\nmetadata: {}\ndata: {a: b}\n");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ConfigMap/<no name>: metadata.name: is required", run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_input_fails_because_nothing_was_validated()
    {
        var run = SchemaValidationRunner.Validate("---\n# nothing\n");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no Kubernetes objects in the input", run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Unparseable_yaml_fails_naming_the_document_and_line()
    {
        var run = SchemaValidationRunner.Validate("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\ndata: [a\n");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("<stdin>: document 2: YAML:", run.Errors, StringComparison.Ordinal);
        Assert.Contains("line ", run.Errors, StringComparison.Ordinal);
    }
}
