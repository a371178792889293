namespace RegistryCloud.NotifierService.Status;

/// <summary>Every configured endpoint's <see cref="EndpointState"/>.</summary>
internal sealed class EndpointStates(IEnumerable<string> names)
{
    private readonly Dictionary<string, EndpointState> _states = names.ToDictionary(name => name, name => new EndpointState(name), StringComparer.Ordinal);

    public IEnumerable<EndpointState> All => _states.Values;

    public EndpointState this[string name] => _states[name];
}
