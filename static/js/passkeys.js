// Says in words when the browser's passkey prompt fails or is cancelled
// (allauth's webauthn.js only logs it to the console).
(function () {
  document.addEventListener('allauth.error', function (event) {
    const box = document.getElementById('passkey-error')
    if (!box) return
    event.preventDefault()
    box.hidden = false
    box.textContent = 'The passkey step did not finish (it was cancelled, timed out, or this device has no passkey for b2bbank). Try again, or use another way.'
  })
})()
