#!/bin/sh
# check-po.sh MSGFMT PO...: every catalogue compiles with the format checks,
# and has no untranslated or fuzzy message.
set -u
msgfmt=$1
shift
status=0
for po in "$@"; do
  stats=$(LC_ALL=C LANGUAGE= "$msgfmt" --check -c --statistics -o /dev/null "$po" 2>&1)
  rc=$?
  echo "$po: $stats"
  if [ $rc -ne 0 ]; then
    echo "FAIL: $po: msgfmt --check failed" >&2
    status=1
  fi
  case $stats in
    *untranslated*|*fuzzy*)
      echo "FAIL: $po: not complete" >&2
      status=1
      ;;
    *" translated message"*) ;;
    *)
      echo "FAIL: $po: no statistics from msgfmt" >&2
      status=1
      ;;
  esac
done
exit $status
