from learnflow.gateway._serve import main

main()
