# mount_ns.sh — sourced: sets mount_ns to the command that runs a program in
# a mount namespace of its own (for a tmpfs that fills up), or to nothing.
# Root needs no user namespace for that (`unshare -m`), and a chrooted root
# cannot make one (the kernel refuses CLONE_NEWUSER there); anyone else
# needs the user namespace (`unshare -rm`).
mount_ns=()
if unshare -m true 2>/dev/null; then
  mount_ns=(unshare -m)
elif unshare -rm true 2>/dev/null; then
  mount_ns=(unshare -rm)
fi
