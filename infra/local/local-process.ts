// Imported first by the local entry points, before any module reads these variables.

// The SDK warns on every client that its Node 20 support ends; Lambda runs Node 24 and the README
// says Node 22+ is the better local choice. Set the variable to 'false' to see the warning again.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
