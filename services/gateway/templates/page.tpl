{{%AUTOESCAPE context="HTML"}}{{!
  The frame of every page: header with the search box, navigation, the
  page's own body (BODY, one of the other templates), footer.
}}<!doctype html>
<html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{TITLE}} · c1tally</title>
<link rel="stylesheet" href="/static/style.css">
{{#SCRIPT}}<script defer src="/static/{{FILE}}"></script>
{{/SCRIPT}}</head><body>
<header><a class="brand" href="/">c1tally</a><form class="search" action="/cari" method="get" role="search"><input name="q" type="search" aria-label="Cari TPS atau wilayah" placeholder="Kode TPS atau nama wilayah" value="{{QUERY}}"><button>Cari</button></form><nav><a href="/unggah">Unggah foto</a> <a href="/periksa">Periksa angka</a> <a href="/audit">Audit</a></nav></header>
<main>
{{>BODY}}
</main>
<footer>Angka hanya tampil bila dibaca mesin dengan yakin dan konsisten, atau diketik sama oleh dua relawan tanpa saling melihat.</footer>
</body></html>
