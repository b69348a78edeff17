// Written in the next step (issue 5): a child process the fault tests kill
// while it is sending.
int main()
{
    return 0;
}
