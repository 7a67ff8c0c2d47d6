namespace Stratus.Core.Model;

public enum OperationClaimOutcome
{
    Claimed,
    Refused,
    NotFound,
}
