// The sign-in shared by the upload and review pages, and the one way they
// call the JSON API: same-origin, the session cookie sent by the browser,
// the CSRF token in a header on every change.
'use strict';
const session = { user: '', roles: [], csrf: '' };

async function api(method, path, body, headers = {}) {
  const init = { method, credentials: 'same-origin', headers: { ...headers } };
  if (method !== 'GET') init.headers['X-CSRF-Token'] = session.csrf;
  if (body !== undefined) {
    if (body instanceof Blob) {
      init.body = body;
    } else {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
  }
  const response = await fetch(path, init);
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error((json.error && json.error.message) || response.statusText);
    error.status = response.status;
    throw error;
  }
  return json;
}

function show(element, visible) { element.classList.toggle('hidden', !visible); }

function say(element, text, isError = false) {
  element.textContent = text;
  element.classList.toggle('error', isError);
}

// Resolves once someone is signed in (at once if a session exists).
function signedIn() {
  const form = document.getElementById('signin');
  const message = document.getElementById('signin-message');
  const accept = (json) => {
    session.user = json.user; session.roles = json.roles; session.csrf = json.csrf_token;
    show(form, false);
    document.getElementById('whoami').textContent = `Masuk sebagai ${json.user}`;
    show(document.getElementById('signout'), true);
  };
  document.getElementById('signout').addEventListener('click', async () => {
    await api('DELETE', '/api/v1/session').catch(() => {});
    location.reload();
  });
  return new Promise((resolve) => {
    api('GET', '/api/v1/session').then((json) => { accept(json); resolve(); }).catch(() => {
      show(form, true);
      form.querySelector('input').focus();
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        const data = new FormData(form);
        try {
          accept(await api('POST', '/api/v1/session',
              { user: data.get('user'), password: data.get('password') }));
          resolve();
        } catch (error) {
          say(message, `Gagal masuk: ${error.message}`, true);
        }
      });
    });
  });
}
