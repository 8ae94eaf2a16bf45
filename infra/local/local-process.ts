// Imported first by the local entry points, before any module reads these variables.

// The SDK warns on every client that its Node 20 support ends; Lambda runs Node 24 and the README
// says Node 22+ is the better local choice. Set the variable to 'false' to see the warning again.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Nothing traces outside Lambda, but the X-Ray SDK under the Powertools tracer installs an async
// hook on load that tracks every promise (cls-hooked): a loop of awaits ran 13x slower, and the
// local runtime served about a quarter fewer requests at its peak. Manual mode skips the hook; in
// Lambda the variable is unset and traces propagate as before.
process.env.AWS_XRAY_MANUAL_MODE ??= 'true';
