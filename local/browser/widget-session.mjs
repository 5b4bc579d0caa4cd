// A page that talks to the backend exactly as twilio-webchat-react-app's src/sessionDataHandler.ts does:
// contactBackend() is fetch + POST with `Accept: application/json` and `Content-Type: application/json`, a JSON
// body, `response.ok` checked and `response.json()` returned; a new session is stored whole under
// localStorage "TWILIO_WEBCHAT_WIDGET"; a renewal posts the stored token to /refreshToken and stores the stored
// data merged with the answer (the server returns no conversationSid). emailTranscript() sends what
// src/components/Transcript.tsx's handleEmailTranscript sends to /email: the form's email, a subject, the
// widget's own HTML of the chat, each file's temporary URL, and the file names.

/** The page, calling the backend at `apiUrl`. */
export function widgetSessionPage(apiUrl) {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>web chat session</title></head>
<body>
<script>
const LOCAL_STORAGE_ITEM_ID = "TWILIO_WEBCHAT_WIDGET";
const endpoint = ${JSON.stringify(apiUrl)};

async function contactBackend(endpointRoute, body = {}) {
  const response = await fetch(endpoint + endpointRoute, {
    method: "POST",
    headers: { Accept: "application/json", "Content-Type": "application/json" },
    body: JSON.stringify(body)
  });
  if (!response.ok) {
    throw new Error("Request to backend failed");
  }
  return response.json();
}

function storedSession() {
  const item = localStorage.getItem(LOCAL_STORAGE_ITEM_ID);
  return item ? JSON.parse(item) : null;
}

// sessionDataHandler.fetchAndStoreNewSession
async function fetchAndStoreNewSession({ formData }) {
  const newTokenData = await contactBackend("/initWebchat", { formData });
  localStorage.setItem(LOCAL_STORAGE_ITEM_ID, JSON.stringify(newTokenData));
  return newTokenData;
}

// sessionDataHandler.getUpdatedToken
async function getUpdatedToken() {
  const storedTokenData = storedSession();
  const newTokenData = await contactBackend("/refreshToken", { token: storedTokenData.token });
  const updatedSessionData = { ...storedTokenData, ...newTokenData };
  localStorage.setItem(LOCAL_STORAGE_ITEM_ID, JSON.stringify(updatedSessionData));
  return updatedSessionData;
}

// Transcript.tsx handleEmailTranscript: contactBackend("/email", {...}); the answer is read, then ignored
async function emailTranscript({ recipientAddress, subject, text, mediaInfo, uniqueFilenames }) {
  return contactBackend("/email", { recipientAddress, subject, text, mediaInfo, uniqueFilenames });
}
</script>
</body></html>`;
}
