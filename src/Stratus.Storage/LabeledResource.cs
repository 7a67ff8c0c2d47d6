namespace Stratus.Storage;

/// <summary>The kinds of resource that carry labels.</summary>
public enum LabeledResource
{
    Blueprint,
    Deployment,
}
