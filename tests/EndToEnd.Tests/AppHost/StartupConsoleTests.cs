using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RegistryCloud.AppHost;
using RegistryCloud.AppHost.Startup;

namespace RegistryCloud.EndToEnd.Tests.AppHost;

/// <summary>
/// What the AppHost prints while the registry runs, checked on resource states without starting
/// anything: nothing while services start, a summary once the gateway answers, one line per real
/// problem, never a stack trace.
/// </summary>
public sealed class StartupConsoleTests
{
    private const string RefusedCheck = "Failed to connect to http://localhost:24462/health";

    [Fact]
    public void Health_checks_failing_while_a_service_starts_are_not_reported()
    {
        var report = new ResourceReport();

        Assert.Equal(ResourceChange.None, report.Observe("blobservice", KnownResourceStates.Starting, null));
        Assert.Equal(ResourceChange.None, report.Observe("blobservice", KnownResourceStates.Running, HealthStatus.Unhealthy));
        Assert.Equal(ResourceChange.None, report.Observe("blobservice", KnownResourceStates.Running, HealthStatus.Unhealthy));
        Assert.Equal(ResourceChange.Ready, report.Observe("blobservice", KnownResourceStates.Running, HealthStatus.Healthy));
        Assert.Equal(ResourceChange.None, report.Observe("blobservice", KnownResourceStates.Running, HealthStatus.Healthy));
    }

    [Fact]
    public void A_service_unhealthy_after_it_was_healthy_is_reported_once_and_its_recovery_once()
    {
        var report = new ResourceReport();
        report.Observe("blobservice", KnownResourceStates.Running, HealthStatus.Healthy);

        Assert.Equal(ResourceChange.Unhealthy, report.Observe("blobservice", KnownResourceStates.Running, HealthStatus.Unhealthy));
        Assert.Equal(ResourceChange.None, report.Observe("blobservice", KnownResourceStates.Running, HealthStatus.Unhealthy));
        Assert.Equal(ResourceChange.Recovered, report.Observe("blobservice", KnownResourceStates.Running, HealthStatus.Healthy));
        Assert.Equal(ResourceChange.None, report.Observe("blobservice", KnownResourceStates.Running, HealthStatus.Healthy));
    }

    [Fact]
    public void A_stopped_resource_is_reported_once_until_it_runs_again()
    {
        var report = new ResourceReport();

        Assert.Equal(ResourceChange.Stopped, report.Observe("gateway", KnownResourceStates.Exited, null));
        Assert.Equal(ResourceChange.None, report.Observe("gateway", KnownResourceStates.Exited, null));
        Assert.Equal(ResourceChange.None, report.Observe("gateway", KnownResourceStates.Running, null));
        Assert.Equal(ResourceChange.Stopped, report.Observe("gateway", KnownResourceStates.FailedToStart, null));
    }

    [Fact]
    public void A_process_that_dies_after_it_was_healthy_died_and_its_recovery_is_reported()
    {
        var report = new ResourceReport();
        report.Observe("blobservice-2", KnownResourceStates.Running, HealthStatus.Healthy);

        // What DCP reports for a kill -9: Running, then Finished with the signal's exit code.
        Assert.Equal(ResourceChange.Died, report.Observe("blobservice-2", KnownResourceStates.Finished, null));
        Assert.Equal(ResourceChange.None, report.Observe("blobservice-2", KnownResourceStates.Finished, null));
        Assert.Equal(ResourceChange.None, report.Observe("blobservice-2", KnownResourceStates.Starting, null));
        Assert.Equal(ResourceChange.None, report.Observe("blobservice-2", KnownResourceStates.Running, HealthStatus.Unhealthy));
        Assert.Equal(ResourceChange.Recovered, report.Observe("blobservice-2", KnownResourceStates.Running, HealthStatus.Healthy));
    }

    [Fact]
    public void A_restart_that_fails_to_start_is_another_death()
    {
        var report = new ResourceReport();
        report.Observe("redis", KnownResourceStates.Running, HealthStatus.Healthy);
        report.Observe("redis", KnownResourceStates.Finished, null);

        report.Observe("redis", KnownResourceStates.Starting, null);
        Assert.Equal(ResourceChange.Died, report.Observe("redis", KnownResourceStates.FailedToStart, null));
    }

    [Fact]
    public void A_resource_the_AppHost_stopped_was_stopped_on_request_whether_or_not_it_had_worked()
    {
        var report = new ResourceReport();
        report.Observe("blobservice", KnownResourceStates.Running, HealthStatus.Healthy);
        report.Observe("manifestservice", KnownResourceStates.Running, null);

        // The dashboard's Stop (and Restart): DCP says Stopping before the process ends.
        Assert.Equal(ResourceChange.None, report.Observe("blobservice", KnownResourceStates.Stopping, null));
        Assert.Equal(ResourceChange.StoppedOnRequest, report.Observe("blobservice", KnownResourceStates.Finished, null));
        Assert.Equal(ResourceChange.None, report.Observe("manifestservice", KnownResourceStates.Stopping, null));
        Assert.Equal(ResourceChange.StoppedOnRequest, report.Observe("manifestservice", KnownResourceStates.Finished, null));

        // Started again, it may die on its own later.
        report.Observe("blobservice", KnownResourceStates.Starting, null);
        report.Observe("blobservice", KnownResourceStates.Running, HealthStatus.Healthy);
        Assert.Equal(ResourceChange.Died, report.Observe("blobservice", KnownResourceStates.Finished, null));
    }

    [Fact]
    public void A_died_process_that_is_restarted_is_one_error_line_saying_so_and_a_stop_on_request_a_note()
    {
        Assert.Equal(
            "error: blobservice-2 stopped (exit code 137); the AppHost restarts it after a back-off (RegistryCloud:RestartOnExit)",
            StartupMessages.Died("blobservice-2", 137, reason: null));
        Assert.Equal(
            "note: gateway was stopped on request; it stays stopped until started again",
            StartupMessages.StoppedOnRequest("gateway"));
    }

    [Fact]
    public void The_ready_summary_says_where_the_registry_its_data_and_the_dashboard_are()
    {
        var settings = new AppHostSettings(5000, "/srv/registry", RedisMode.Local, "redis-server");

        var lines = StartupMessages.Ready(settings, StartupMessages.Redis(settings, started: true), "http://localhost:15080/login?t=abc");

        Assert.Equal(
            [
                "RegistryCloud is ready at http://localhost:5000 (docker push localhost:5000/<name>:<tag>)",
                "  storage:   /srv/registry/storage",
                "  redis:     redis-server, its data in /srv/registry/redis",
                "  dashboard: http://localhost:15080/login?t=abc",
            ],
            lines);
    }

    [Fact]
    public void Without_a_dashboard_the_summary_says_so_and_how_it_was_turned_off()
    {
        var settings = new AppHostSettings(5001, "/srv/registry", RedisMode.None, "redis-server") { HttpsPort = 5443 };

        var lines = StartupMessages.Ready(settings, StartupMessages.Redis(settings, started: false), dashboard: null);

        Assert.Equal("  https:     https://localhost:5443 (self-signed; its certificate is /srv/registry/tls/gateway.crt)", lines[1]);
        Assert.Equal("  redis:     none: caches and shared state stay in each service's memory", lines[3]);
        Assert.Equal("  dashboard: off (RegistryCloud:Dashboard=false); the services export no telemetry", lines[4]);
    }

    [Theory]
    [InlineData("http://localhost:15080", "abc", "http://localhost:15080/login?t=abc")]
    [InlineData("http://localhost:15080/;https://localhost:17080", null, "http://localhost:15080")]
    [InlineData(null, "abc", "on (its address is printed above)")]
    public void The_dashboard_address_is_its_login_link(string? urls, string? token, string expected)
    {
        Assert.Equal(expected, StartupMessages.Dashboard(urls, token));
    }

    [Fact]
    public void A_stopped_service_is_one_line_with_the_unhandled_exception_and_no_stack_trace()
    {
        var reason = new FailureReason();
        foreach (var line in new[]
        {
            new LogLine(1, "info: Microsoft.Hosting.Lifetime[0]", IsErrorMessage: false),
            new LogLine(2, "Unhandled exception. System.IO.IOException: Failed to bind to address http://127.0.0.1:5000: address already in use.", IsErrorMessage: true),
            new LogLine(3, " ---> Microsoft.AspNetCore.Connections.AddressInUseException: Address already in use", IsErrorMessage: true),
            new LogLine(4, "   at Microsoft.AspNetCore.Server.Kestrel.Core.Internal.AddressBinder.BindEndpointAsync()", IsErrorMessage: true),
        })
        {
            reason.Add(line);
        }

        var message = StartupMessages.Stopped("gateway", KnownResourceStates.Exited, 134, reason.Text, dashboard: false);

        Assert.Equal(
            "error: gateway stopped (exit code 134): System.IO.IOException: Failed to bind to address http://127.0.0.1:5000: address already in use.; RegistryCloud stops",
            message);
    }

    [Fact]
    public void Without_an_unhandled_exception_the_reason_is_the_last_error_line_that_is_not_a_stack_frame()
    {
        var reason = new FailureReason();
        reason.Add(new LogLine(1, "2026-01-02T03:04:05.1234567Z \u001b[41m\u001b[30mfail\u001b[39m\u001b[22m\u001b[49m: storage root is not writable", IsErrorMessage: true));
        reason.Add(new LogLine(2, "2026-01-02T03:04:05.1234567Z    at RegistryCloud.Storage.FileSystem.Open()", IsErrorMessage: true));
        reason.Add(new LogLine(3, "2026-01-02T03:04:05.1234567Z shutting down", IsErrorMessage: false));

        Assert.Equal("fail: storage root is not writable", reason.Text);
    }

    [Fact]
    public void What_a_process_wrote_to_stdout_and_DCPs_own_lines_are_no_reason()
    {
        var reason = new FailureReason();
        reason.Add(new LogLine(1, "2026-01-02T03:04:05.0000000Z [sys] Starting process...: Cmd = /usr/bin/dotnet", IsErrorMessage: true));
        reason.Add(new LogLine(2, "2026-01-02T03:04:06.0000000Z       Content root path: /srv/BlobService", IsErrorMessage: false));
        reason.Add(new LogLine(3, "# Could not create server TCP listening socket 127.0.0.1:6379: bind: Address already in use", IsErrorMessage: false));

        Assert.Null(reason.Text);
        Assert.Equal(
            "error: blobservice stopped (exit code 137); RegistryCloud stops",
            StartupMessages.Stopped("blobservice", KnownResourceStates.Exited, 137, reason.Text, dashboard: false));
    }

    [Fact]
    public void With_a_dashboard_a_clean_stop_is_a_note_pointing_at_its_log()
    {
        Assert.Equal(
            "note: notifierservice stopped (exit code 0); its log is in the dashboard",
            StartupMessages.Stopped("notifierservice", KnownResourceStates.Finished, 0, reason: null, dashboard: true));
        Assert.Equal(
            "error: redis failed to start; its log is in the dashboard",
            StartupMessages.Stopped("redis", KnownResourceStates.FailedToStart, null, reason: null, dashboard: true));
    }

    [Fact]
    public void An_unhealthy_service_is_named_with_its_checks_words_and_not_its_exception()
    {
        HealthReportSnapshot[] reports =
        [
            new("redis-ping", HealthStatus.Healthy, null, null),
            new("blobservice_http_/health_200_check", HealthStatus.Unhealthy, RefusedCheck, "System.Net.Http.HttpRequestException: Connection refused\n   at ..."),
        ];

        Assert.Equal($"warning: blobservice is unhealthy: {RefusedCheck}", StartupMessages.Unhealthy("blobservice", reports));
    }
}
