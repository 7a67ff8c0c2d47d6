namespace Stratus.Storage;

/// <summary>How a tenant role is written: added (must be new) or updated (must exist).</summary>
public enum GrantMode
{
    Add,
    Update,
}
