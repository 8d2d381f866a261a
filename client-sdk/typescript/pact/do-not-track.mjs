// Imported first by the Pact tests: no usage telemetry from Pact (its FFI library reads this on load).
process.env.PACT_DO_NOT_TRACK = 'true';
