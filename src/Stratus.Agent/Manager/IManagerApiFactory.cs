using Stratus.Contracts.Tasks;

namespace Stratus.Agent.Manager;

/// <summary>Creates the manager client for one operation, from the endpoint and credentials in its context.</summary>
internal interface IManagerApiFactory
{
    IManagerApi Create(TaskContext context);
}
