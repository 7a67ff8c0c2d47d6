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

    /// <summary>The dsl_parser exception class Cloudify raises for this failure.</summary>
    public string Kind { get; private init; } = "FunctionEvaluationError";

    /// <summary>The manager's own FunctionsEvaluationError (label and consumer lookups): its message stands alone.</summary>
    public static FunctionException Manager(string message) =>
        new(message) { Kind = "FunctionsEvaluationError" };

    /// <summary>Cloudify's InputEvaluationError: a get_input path that does not lead anywhere.</summary>
    public static FunctionException InputEvaluation(string message) =>
        new(message) { Kind = "InputEvaluationError" };
}
