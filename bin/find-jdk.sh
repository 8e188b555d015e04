# Sourced by bin/cutover and .ci/run: the one answer to "which JDK 25 do we use?".
# find_jdk25 prints a JDK home whose java is 25 or newer, trying in turn $JAVA_HOME, /usr/lib/jvm/*25*, and the
# `java` on PATH; it prints nothing and returns 1 when none is.

# Prints the feature version (25 for 25.0.3) of the Java in home $1, or nothing.
jdk_feature() {
  local home=$1 version=""
  [ -x "$home/bin/java" ] || return 0
  if [ -r "$home/release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
  fi
  if [ -z "$version" ]; then
    version=$("$home/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
  fi
  echo "$version"
}

is_jdk25() {
  local feature
  feature=$(jdk_feature "$1")
  [ -n "$feature" ] && [ "$feature" -ge 25 ]
}

find_jdk25() {
  local home java
  if [ -n "${JAVA_HOME:-}" ] && is_jdk25 "$JAVA_HOME"; then
    echo "$JAVA_HOME"
    return 0
  fi
  for home in /usr/lib/jvm/*25*; do
    if [ -d "$home" ] && is_jdk25 "$home"; then
      echo "$home"
      return 0
    fi
  done
  java=$(command -v java 2>/dev/null || true)
  if [ -n "$java" ]; then
    home=$(dirname "$(dirname "$(readlink -f "$java")")")
    if is_jdk25 "$home"; then
      echo "$home"
      return 0
    fi
  fi
  return 1
}

# What to print when there is none.
no_jdk25_message() {
  local home="JAVA_HOME is unset"
  [ -n "${JAVA_HOME:-}" ] && home="JAVA_HOME=$JAVA_HOME is Java $(jdk_feature "$JAVA_HOME")"
  echo "Cutover needs JDK 25 and found none: $home, nothing under /usr/lib/jvm/*25* is a JDK 25," \
    "and the java on PATH is $(java -version 2>&1 | head -1 || echo 'missing')." \
    "Install a JDK 25 (e.g. Temurin 25) and point JAVA_HOME at it:  export JAVA_HOME=/path/to/jdk-25"
}
