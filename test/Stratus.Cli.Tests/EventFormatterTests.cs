using Stratus.Cli.Output;
using Stratus.Client.Models;

namespace Stratus.Cli.Tests;

public sealed class EventFormatterTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 6, 7, 55, 416, TimeSpan.Zero);

    [Fact]
    public void Format_ShowsInstanceAndShortOperation_ForOperationEvent()
    {
        var e = new CloudifyEvent
        {
            Timestamp = At,
            Type = CloudifyEvent.EventType,
            DeploymentId = "dep",
            NodeInstanceId = "db_3ydokc",
            Operation = "cloudify.interfaces.lifecycle.create",
            Message = "Task succeeded 'script_runner.tasks.run'",
        };

        Assert.Equal(
            "2026-11-26 06:07:55.416  CFY <dep> [db_3ydokc.create] Task succeeded 'script_runner.tasks.run'",
            EventFormatter.Format(e));
    }

    [Fact]
    public void Format_MarksLogAndLevel_ForLogLine()
    {
        var e = new CloudifyEvent
        {
            Timestamp = At,
            Type = CloudifyEvent.LogType,
            Level = "info",
            DeploymentId = "dep",
            NodeInstanceId = "web_page_a1b2c3",
            Operation = "cloudify.interfaces.lifecycle.configure",
            Message = "Wrote the page",
        };

        Assert.Equal("2026-11-26 06:07:55.416  LOG <dep> [web_page_a1b2c3.configure] INFO: Wrote the page", EventFormatter.Format(e));
    }

    [Fact]
    public void Format_OmitsBrackets_ForWorkflowEvent()
    {
        var e = new CloudifyEvent
        {
            Timestamp = At,
            Type = CloudifyEvent.EventType,
            DeploymentId = "dep",
            Message = "Starting 'install' workflow execution",
        };

        Assert.Equal("2026-11-26 06:07:55.416  CFY <dep> Starting 'install' workflow execution", EventFormatter.Format(e));
    }

    [Fact]
    public void Format_ShowsSourceAndTarget_ForRelationshipOperation()
    {
        var e = new CloudifyEvent
        {
            Timestamp = At,
            Type = CloudifyEvent.EventType,
            DeploymentId = "dep",
            NodeInstanceId = "app_1",
            SourceId = "app_1",
            TargetId = "db_2",
            Operation = "cloudify.interfaces.relationship_lifecycle.establish",
            Message = "Sending task",
        };

        Assert.Equal("2026-11-26 06:07:55.416  CFY <dep> [app_1->db_2|establish] Sending task", EventFormatter.Format(e));
    }
}
