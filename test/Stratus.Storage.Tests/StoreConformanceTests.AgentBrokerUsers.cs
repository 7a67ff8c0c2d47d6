using Stratus.Core.Model;

namespace Stratus.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task SetAgentBrokerUserAsync_KeepsTheFirstPassword_AndClearOnlyForgetsItsOwn()
    {
        await Store.PutAgentAsync(NewAgent("b1"), Token);

        var first = await Store.SetAgentBrokerUserAsync(Make.Tenant, "b1", "rabbitmq_user_b1", "sealed-1", Time.GetUtcNow(), Token);
        var second = await Store.SetAgentBrokerUserAsync(Make.Tenant, "b1", "rabbitmq_user_b1", "sealed-2", Time.GetUtcNow(), Token);
        var otherTenant = await Store.SetAgentBrokerUserAsync("other", "b1", "rabbitmq_user_b1", "sealed-3", Time.GetUtcNow(), Token);
        var clearedWrong = await Store.ClearAgentBrokerUserAsync(Make.Tenant, "b1", "sealed-2", Token);
        var listed = await Store.ListAgentBrokerUsersAsync(Token);
        var clearedRight = await Store.ClearAgentBrokerUserAsync(Make.Tenant, "b1", "sealed-1", Token);
        var after = await Store.GetAgentAsync(Make.Tenant, "b1", Token);

        Assert.Equal(("rabbitmq_user_b1", "sealed-1"), (first!.RabbitMqUsername, first.RabbitMqPassword));
        Assert.Equal("sealed-1", second!.RabbitMqPassword);
        Assert.Null(otherTenant);
        Assert.False(clearedWrong);
        Assert.Equal(["rabbitmq_user_b1"], listed);
        Assert.True(clearedRight);
        Assert.Equal((null, null), (after!.RabbitMqUsername, after.RabbitMqPassword));
    }

    [Fact]
    public async Task ListAgentBrokerUsersAsync_SkipsAgentsMarkedDeleted_AcrossTenants()
    {
        await Store.PutAgentAsync(NewAgent("k1"), Token);
        await Store.PutAgentAsync(NewAgent("k2", tenant: "other"), Token);
        await Store.PutAgentAsync(NewAgent("k3"), Token);
        await Store.PutAgentAsync(NewAgent("k4"), Token);
        foreach (var (tenant, name) in new[] { (Make.Tenant, "k1"), ("other", "k2"), (Make.Tenant, "k3") })
        {
            await Store.SetAgentBrokerUserAsync(tenant, name, "rabbitmq_user_" + name, "sealed", Time.GetUtcNow(), Token);
        }

        await Store.UpdateAgentAsync(Make.Tenant, "k3", new AgentUpdate { State = AgentState.Deleted }, null, Time.GetUtcNow(), Token);

        Assert.Equal(["rabbitmq_user_k1", "rabbitmq_user_k2"], await Store.ListAgentBrokerUsersAsync(Token));
    }
}
