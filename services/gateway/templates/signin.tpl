{{%AUTOESCAPE context="HTML"}}{{!
  The sign-in form the volunteer pages include.
}}<p class="small"><span id="whoami"></span> <button id="signout" type="button" class="hidden">Keluar</button></p>
<form id="signin" class="card hidden" autocomplete="on">
  <h2>Masuk</h2>
  <p><label>Nama pengguna<br><input name="user" autocomplete="username" required></label></p>
  <p><label>Kata sandi<br><input name="password" type="password" autocomplete="current-password" required></label></p>
  <p><button>Masuk</button></p>
  <p id="signin-message" class="message" role="alert"></p>
</form>
