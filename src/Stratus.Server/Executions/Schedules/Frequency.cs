namespace Stratus.Server.Executions.Schedules;

/// <summary>RFC 5545 frequencies (the <c>FREQ</c> rule part).</summary>
internal enum Frequency
{
    Secondly = 1,
    Minutely,
    Hourly,
    Daily,
    Weekly,
    Monthly,
    Yearly,
}
