from cvbuild.cli import entry

entry()
