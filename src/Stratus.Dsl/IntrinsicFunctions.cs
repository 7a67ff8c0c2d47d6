using System.Text.Json.Nodes;

namespace Stratus.Dsl;

/// <summary>Runtime evaluation of intrinsic functions (get_attribute, get_property, get_input, concat, ...).</summary>
public static class IntrinsicFunctions
{
    /// <summary>Returns a deep copy of <paramref name="value"/> with every function replaced by its value.</summary>
    public static JsonNode? Evaluate(JsonNode? value, IFunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        throw new NotImplementedException("Stratus.Dsl: IntrinsicFunctions.Evaluate is being written.");
    }

    /// <summary>True when the value contains any intrinsic function.</summary>
    public static bool ContainsFunctions(JsonNode? value)
    {
        throw new NotImplementedException("Stratus.Dsl: IntrinsicFunctions.ContainsFunctions is being written.");
    }
}
