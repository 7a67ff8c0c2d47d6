namespace Stratus.Server.Hosting;

/// <summary>Checks <see cref="ManagerOptions"/> before anything is built, with messages that name the flag.</summary>
internal static class ManagerOptionsValidator
{
    public static void Validate(ManagerOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDir))
        {
            errors.Add("DataDir is required");
        }

        if (string.IsNullOrWhiteSpace(options.Host))
        {
            errors.Add("Host is required");
        }

        if (options.Port is < 0 or > 65535)
        {
            errors.Add($"Port must be between 0 and 65535, got {options.Port}");
        }

        if (options.UploadUrlAllowList.FirstOrDefault(n => !System.Net.IPNetwork.TryParse(n, out _)) is { } network)
        {
            errors.Add($"--upload-url-allow must be a network in CIDR form (10.0.0.0/8, fd00::/8), got `{network}`");
        }

        if (options.AgentPackage is { } package && !File.Exists(package))
        {
            errors.Add($"--agent-package must be an existing tarball, got `{package}`");
        }

        if (options.AgentManagerUrls.FirstOrDefault(u => !u.IsAbsoluteUri || u.Scheme is not ("http" or "https")) is { } agentUrl)
        {
            errors.Add($"--agent-manager-url must be http(s)://host:port, got `{agentUrl}`");
        }

        if (options.UploadUrlTimeout <= TimeSpan.Zero)
        {
            errors.Add("UploadUrlTimeout must be positive");
        }

        if (options.CorsOrigins.FirstOrDefault(o => !Uri.TryCreate(o, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https") || u.AbsolutePath != "/") is { } origin)
        {
            errors.Add($"--cors-origin must be an origin such as https://ui.example.com, got `{origin}`");
        }

        if ((options.SslCertificateFile is null) != (options.SslKeyFile is null))
        {
            errors.Add("--ssl-cert and --ssl-key go together");
        }

        if (options.SslPort is < 0 or > 65535 || (options.SslCertificateFile is not null && options.SslPort == options.Port && options.Port != 0))
        {
            errors.Add($"--ssl-port must be between 0 and 65535 and differ from --port, got {options.SslPort}");
        }

        var provider = options.StorageProvider.ToUpperInvariant();
        if (provider is not ("SQLITE" or "POSTGRESQL" or "POSTGRES"))
        {
            errors.Add($"StorageProvider must be sqlite or postgresql, got `{options.StorageProvider}`");
        }
        else if (provider != "SQLITE" && string.IsNullOrWhiteSpace(options.PostgresConnectionString))
        {
            errors.Add("StorageProvider postgresql needs PostgresConnectionString");
        }

        if (options.BrokerUrl is { } brokerUrl
            && (!Uri.TryCreate(brokerUrl, UriKind.Absolute, out var broker) || broker.Scheme is not ("amqp" or "amqps")))
        {
            errors.Add("BrokerUrl must look like amqp://user:password@host:port/vhost");
        }

        if (options.BrokerManagementUrl is { } managementUrl)
        {
            if (!Uri.TryCreate(managementUrl, UriKind.Absolute, out var management) || management.Scheme is not ("http" or "https")
                || !management.UserInfo.Contains(':', StringComparison.Ordinal))
            {
                errors.Add("BrokerManagementUrl must look like http://user:password@host:port (RabbitMQ's management API)");
            }
            else if (options.BrokerUrl is null)
            {
                errors.Add("BrokerManagementUrl needs BrokerUrl: per-agent broker users exist only on RabbitMQ");
            }
        }

        if (options.AgentPingTimeout < TimeSpan.Zero)
        {
            errors.Add($"AgentPingTimeout must not be negative, got {options.AgentPingTimeout}");
        }

        if (options.MaxJsonBodyBytes <= 0 || options.MaxArchiveBytes <= 0 || options.MaxExtractedBytes <= 0 || options.MaxArchiveEntries <= 0
            || options.MaxPluginBytes <= 0)
        {
            errors.Add("the body, archive and extraction limits must be positive");
        }

        if (options.CredentialCacheDuration < TimeSpan.Zero)
        {
            errors.Add("CredentialCacheDuration must not be negative");
        }

        if (options.MaxConcurrentWorkflows is < 1 or > 10_000)
        {
            errors.Add($"MaxConcurrentWorkflows must be between 1 and 10000, got {options.MaxConcurrentWorkflows}");
        }

        if (options.AgentHeartbeatTimeout < TimeSpan.FromSeconds(1))
        {
            errors.Add($"AgentHeartbeatTimeout must be at least one second, got {options.AgentHeartbeatTimeout}");
        }

        if (options.MaxWorkers is < 1 or > 10_000)
        {
            errors.Add($"MaxWorkers must be between 1 and 10000, got {options.MaxWorkers}");
        }

        if (options.WaitAfterFail < TimeSpan.Zero)
        {
            errors.Add($"WaitAfterFail must not be negative, got {options.WaitAfterFail}");
        }

        if (options.SchedulerInterval <= TimeSpan.Zero || options.SchedulerInterval > TimeSpan.FromDays(1))
        {
            errors.Add($"SchedulerInterval must be positive and at most one day, got {options.SchedulerInterval}");
        }

        if (options.ExecutionLeaseDuration < TimeSpan.FromSeconds(1) || options.ExecutionLeaseDuration > TimeSpan.FromHours(1))
        {
            errors.Add($"ExecutionLeaseDuration must be between 1 s and 1 h, got {options.ExecutionLeaseDuration}");
        }

        if (options.ManagerId is { } id && (id.Length is 0 or > 200 || id.Any(char.IsControl)))
        {
            errors.Add("ManagerId must be 1 to 200 printable characters");
        }

        if (options.FailedLoginsBeforeAccountLock < 1)
        {
            errors.Add("FailedLoginsBeforeAccountLock must be at least 1");
        }

        if (options.AdminPassword is { Length: 0 })
        {
            errors.Add("AdminPassword must not be empty (leave it unset to generate one)");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid manager options: " + string.Join("; ", errors));
        }
    }
}
