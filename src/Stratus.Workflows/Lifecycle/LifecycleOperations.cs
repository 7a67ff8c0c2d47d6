namespace Stratus.Workflows.Lifecycle;

/// <summary>Cloudify's interface operation names used by the built-in workflows.</summary>
internal static class LifecycleOperations
{
    public const string ValidationCreate = "cloudify.interfaces.validation.create";
    public const string ValidationDelete = "cloudify.interfaces.validation.delete";
    public const string Precreate = "cloudify.interfaces.lifecycle.precreate";
    public const string Create = "cloudify.interfaces.lifecycle.create";
    public const string Configure = "cloudify.interfaces.lifecycle.configure";
    public const string Start = "cloudify.interfaces.lifecycle.start";
    public const string Poststart = "cloudify.interfaces.lifecycle.poststart";
    public const string Prestop = "cloudify.interfaces.lifecycle.prestop";
    public const string Stop = "cloudify.interfaces.lifecycle.stop";
    public const string Delete = "cloudify.interfaces.lifecycle.delete";
    public const string Postdelete = "cloudify.interfaces.lifecycle.postdelete";
    public const string MonitoringStart = "cloudify.interfaces.monitoring.start";
    public const string MonitoringStop = "cloudify.interfaces.monitoring.stop";
    public const string Preconfigure = "cloudify.interfaces.relationship_lifecycle.preconfigure";
    public const string Postconfigure = "cloudify.interfaces.relationship_lifecycle.postconfigure";
    public const string Establish = "cloudify.interfaces.relationship_lifecycle.establish";
    public const string Unlink = "cloudify.interfaces.relationship_lifecycle.unlink";
}
