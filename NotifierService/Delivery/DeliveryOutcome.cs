namespace RegistryCloud.NotifierService.Delivery;

/// <summary>
/// One attempt's result. Any 2xx or 3xx is a delivery (Distribution's rule); <see cref="Status"/>
/// is 0 when no response came (refused, reset, timed out).
/// </summary>
internal readonly record struct DeliveryOutcome(bool Delivered, int Status, string? Error, TimeSpan Elapsed)
{
    public static DeliveryOutcome FromStatus(int status, TimeSpan elapsed) =>
        status is >= 200 and < 400
            ? new(true, status, null, elapsed)
            : new(false, status, $"response status {status}", elapsed);

    public static DeliveryOutcome NoResponse(string error, TimeSpan elapsed) => new(false, 0, error, elapsed);
}
