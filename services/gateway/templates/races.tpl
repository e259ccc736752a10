{{%AUTOESCAPE context="HTML"}}{{!
  The race switch: the same page in each race, the one shown marked.
}}<nav class="races" aria-label="Pilih pemilihan">{{#RACE}}{{#CURRENT}}<strong aria-current="page">{{LABEL}}</strong>{{/CURRENT}}{{#OTHER}}<a href="{{HREF}}">{{LABEL}}</a>{{/OTHER}}{{#RACE_separator}} · {{/RACE_separator}}{{/RACE}}</nav>
