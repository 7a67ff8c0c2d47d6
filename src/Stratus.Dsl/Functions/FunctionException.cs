namespace Stratus.Dsl;

/// <summary>Cloudify's FunctionEvaluationError: "Unable to evaluate X function: ...".</summary>
internal sealed class FunctionException : Exception
{
    public FunctionException(string function, string message)
        : base($"Unable to evaluate {function} function: {message}")
    {
        Function = function;
    }

    public FunctionException()
    {
        Function = string.Empty;
    }

    public FunctionException(string message)
        : base(message)
    {
        Function = string.Empty;
    }

    public FunctionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Function = string.Empty;
    }

    public string Function { get; }
}
