{{%AUTOESCAPE context="HTML"}}{{!
  A page that only says something: an error, a refusal.
}}<h1>{{HEADING}}</h1><p>{{MESSAGE}}</p><p><a href="/">Kembali ke halaman nasional</a></p>
