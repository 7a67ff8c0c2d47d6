namespace Stratus.Messaging.InProcess;

/// <summary>AMQP topic matching: words split on dots, <c>*</c> matches exactly one word, <c>#</c> zero or more.</summary>
internal static class TopicPattern
{
    public static bool Matches(string pattern, string routingKey) =>
        Matches(pattern.Split('.'), 0, routingKey.Length == 0 ? [] : routingKey.Split('.'), 0);

    private static bool Matches(string[] pattern, int p, string[] words, int w)
    {
        while (p < pattern.Length)
        {
            if (pattern[p] == "#")
            {
                // "#" takes 0..n words: try every split, shortest first.
                for (var take = w; take <= words.Length; take++)
                {
                    if (Matches(pattern, p + 1, words, take))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (w >= words.Length || (pattern[p] != "*" && pattern[p] != words[w]))
            {
                return false;
            }

            p++;
            w++;
        }

        return w == words.Length;
    }
}
