using System.Text;
using Microsoft.Data.Sqlite;

namespace Stratus.Server.Tests.Support;

/// <summary>
/// Every row of every table of a manager's SQLite database as text, to compare the stored state before and after a
/// request. Login bookkeeping (last login, failed-login counter, a token's last use) is left out: authenticating
/// writes it by design, and so are the timestamps the manager's timers refresh. SQLite's
/// <c>sqlite_sequence</c> is left out too: the heartbeat's upsert takes an id even when it updates.
/// </summary>
internal static class StoreDump
{
    private static readonly HashSet<string> Bookkeeping = new(StringComparer.Ordinal)
    {
        "users.first_login_at", "users.last_login_at", "users.last_failed_login_at", "users.failed_logins_counter", "tokens.last_used",
        // Written by the manager's own timers: its heartbeat (with its chain of contact) and the renewal of a running execution's lease.
        "managers.last_seen", "managers.next_beat_by", "managers.contact_since", "executions.lease_expires_at",
    };

    public static string Of(ManagerFixture manager)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(manager.DataDir, "stratus.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'sqlite_sequence' ORDER BY name";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var dump = new StringBuilder();
        foreach (var table in tables)
        {
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\" ORDER BY 1";
            using var reader = select.ExecuteReader();
            var rows = new List<string>();
            while (reader.Read())
            {
                var row = new StringBuilder();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    if (!Bookkeeping.Contains(table + "." + reader.GetName(i)))
                    {
                        row.Append(reader.GetName(i)).Append('=').Append(reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append(';');
                    }
                }

                rows.Add(row.ToString());
            }

            rows.Sort(StringComparer.Ordinal);
            dump.Append("== ").AppendLine(table).AppendJoin('\n', rows).AppendLine();
        }

        return dump.ToString();
    }
}
