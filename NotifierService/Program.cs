using RegistryCloud.NotifierService.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.UseRegistryListeners();
builder.AddServiceDefaults(NotifierServiceTelemetry.Name);

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
