using System.CommandLine;
using System.Text;

namespace RegistryCloud.Admin.Commands;

/// <summary>
/// <c>registrycloud htpasswd &lt;user&gt;</c>: one line for <c>auth.htpasswd.path</c> or
/// <c>tokenservice.htpasswd</c>, <c>user:$2y$10$...</c>, as <c>htpasswd -nB</c> prints it. The
/// password comes from stdin, never from the command line, where <c>ps</c> and shell history see it.
/// </summary>
internal static class HtpasswdCommand
{
    /// <summary>What <c>htpasswd -B</c> uses when not told otherwise.</summary>
    public const int DefaultCost = 10;

    // htpasswd's own bounds: below 4 bcrypt is not bcrypt; above 17 a login costs seconds.
    public const int MinimumCost = 4;
    public const int MaximumCost = 17;

    // bcrypt hashes only the first 72 bytes; a longer password is accepted and silently shortened.
    private const int BcryptKeyBytes = 72;

    public static Command Create(AdminConsole console)
    {
        var user = new Argument<string>("user") { Description = "The user name; may not contain ':' or control characters." };
        var cost = new Option<int>("--cost")
        {
            Description = $"bcrypt cost, {MinimumCost} to {MaximumCost} (default {DefaultCost}, as htpasswd -B).",
            DefaultValueFactory = _ => DefaultCost,
        };
        var passwordStdin = new Option<bool>("--password-stdin")
        {
            Description = "Read the password from stdin (the default; a terminal is asked twice without echo).",
        };
        var command = new Command("htpasswd", "Prints a bcrypt htpasswd line 'user:$2y$...' for a password read from stdin.")
        {
            user,
            cost,
            passwordStdin,
        };
        command.SetAction((result, _) => AdminApp.GuardAsync(console, () =>
            Task.FromResult(Execute(console, result.GetValue(user)!, result.GetValue(cost)))));
        return command;
    }

    private static int Execute(AdminConsole console, string user, int cost)
    {
        CheckUser(user);
        if (cost is < MinimumCost or > MaximumCost)
        {
            throw new AdminException($"--cost: {cost} is out of range; bcrypt cost must be {MinimumCost} to {MaximumCost}");
        }

        var password = console.IsInteractive ? Prompt(console) : ReadPassword(console.In);
        if (Encoding.UTF8.GetByteCount(password) > BcryptKeyBytes)
        {
            console.WriteWarning(console.Error, $"bcrypt uses only the first {BcryptKeyBytes} bytes of the password");
        }

        var salt = BCrypt.Net.BCrypt.GenerateSalt(cost, bcryptMinorRevision: 'y');
        console.Out.WriteLine($"{user}:{BCrypt.Net.BCrypt.HashPassword(password, salt)}");
        return ExitCodes.Ok;
    }

    // The gateway splits a line at its first ':' and trims it, and skips lines that start with '#'.
    private static void CheckUser(string user)
    {
        if (user.Length == 0)
        {
            throw new AdminException("user: the name is empty");
        }

        if (user.Contains(':', StringComparison.Ordinal))
        {
            throw new AdminException($"user: '{user}' contains ':', which separates the name from the hash in an htpasswd line");
        }

        if (user.Any(char.IsControl) || user.Trim() != user || user.StartsWith('#'))
        {
            throw new AdminException("user: the name may not hold control characters, start with '#' or start or end with a space");
        }

        if (user.Length > 255)
        {
            throw new AdminException("user: the name is longer than 255 characters");
        }
    }

    private static string ReadPassword(TextReader input)
    {
        var line = input.ReadLine() ?? throw new AdminException("password: nothing on stdin (pipe the password in, one line)");
        return line.Length > 0 ? line : throw new AdminException("password: the password on stdin is empty");
    }

    private static string Prompt(AdminConsole console)
    {
        var first = ReadHidden(console, "Password: ");
        var second = ReadHidden(console, "Confirm password: ");
        if (first != second)
        {
            throw new AdminException("password: the two passwords differ");
        }

        return first.Length > 0 ? first : throw new AdminException("password: the password is empty");
    }

    private static string ReadHidden(AdminConsole console, string prompt)
    {
        console.Error.Write(prompt);
        var text = new StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                text.Length = Math.Max(0, text.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }

        console.Error.WriteLine();
        return text.ToString();
    }
}
