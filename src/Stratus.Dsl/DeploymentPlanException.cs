namespace Stratus.Dsl;

/// <summary>A deployment-time error with Cloudify's REST <c>error_code</c> (all are HTTP 400).</summary>
public sealed class DeploymentPlanException : Exception
{
    public DeploymentPlanException(string errorCode, string message)
        : base(message)
    {
        ErrorCode = errorCode;
    }

    public DeploymentPlanException(string errorCode, string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
    }

    public DeploymentPlanException()
        : this("deployment_creation_error", "Deployment plan error")
    {
    }

    public DeploymentPlanException(string message)
        : this("deployment_creation_error", message)
    {
    }

    public DeploymentPlanException(string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorCode = "deployment_creation_error";
    }

    public string ErrorCode { get; }
}
