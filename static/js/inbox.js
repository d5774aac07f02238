// The inbox: new activity reorders the conversations; a reload is the simplest
// faithful render. realtime.js dispatches the b2b:* events.
document.addEventListener("b2b:message.new", () => { window.location.reload(); });
document.addEventListener("b2b:conversation.new", () => { window.location.reload(); });
