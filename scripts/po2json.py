#!/usr/bin/python3
"""The admin scripts' translations: one Jed JSON file per language and script handle.

WordPress gives a script its translations (wp_set_script_translations) from
languages/<domain>-<locale>-<handle>.json when that file is in the path the plugin
names; the PHP side reads the .mo files. Each JSON file holds the entries of the
language's .po file that the script's source uses (its "#:" references), in the
format WordPress's own make-json writes.

Usage: scripts/po2json.py          write the files
       scripts/po2json.py --check  exit 1 if a file is missing or differs from its .po
"""
import glob
import json
import os
import sys

import polib

LANGUAGES = os.path.join(os.path.dirname(__file__), '..', 'plugin', 'aisle', 'languages')
DOMAIN = 'aisle'
# The handle each admin script is enqueued under, and its source.
SCRIPTS = {
    'aisle-admin': 'plugin/aisle/assets/admin.js',
    'aisle-channels': 'plugin/aisle/assets/channels.js',
    'aisle-knowledge': 'plugin/aisle/assets/knowledge.js',
    'aisle-live': 'plugin/aisle/assets/live.js',
}


def translations(po, source):
    """The Jed document of the entries of po that source uses."""
    messages = {'': {'domain': 'messages', 'lang': po.metadata.get('Language', ''),
                     'plural-forms': po.metadata.get('Plural-Forms', '')}}
    for entry in po.translated_entries():
        if not any(path == source for path, _ in entry.occurrences):
            continue
        key = (entry.msgctxt + '\u0004' if entry.msgctxt else '') + entry.msgid
        if entry.msgid_plural:
            messages[key] = [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
        else:
            messages[key] = [entry.msgstr]
    return {'translation-revision-date': po.metadata.get('PO-Revision-Date', ''),
            'generator': 'scripts/po2json.py', 'source': source[len('plugin/aisle/'):],
            'domain': 'messages', 'locale_data': {'messages': messages}}


def main(check):
    stale = []
    for path in sorted(glob.glob(os.path.join(LANGUAGES, DOMAIN + '-*.po'))):
        locale = os.path.basename(path)[len(DOMAIN) + 1:-3]
        po = polib.pofile(path)
        for handle, source in SCRIPTS.items():
            target = os.path.join(LANGUAGES, '%s-%s-%s.json' % (DOMAIN, locale, handle))
            text = json.dumps(translations(po, source), ensure_ascii=False, sort_keys=True, indent=1) + '\n'
            current = open(target, encoding='utf-8').read() if os.path.exists(target) else None
            if current == text:
                continue
            if check:
                stale.append(os.path.basename(target))
            else:
                with open(target, 'w', encoding='utf-8') as f:
                    f.write(text)
                print('wrote', os.path.relpath(target))
    if stale:
        print('po2json: out of date with their .po files (run make i18n): ' + ', '.join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main('--check' in sys.argv[1:]))
